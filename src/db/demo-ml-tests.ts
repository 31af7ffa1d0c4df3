/** The demo's ml tests (pytest): model suites crossed with models and batch sizes, and the data suite. */
import { NONE, type TestSpec } from './demo-tests.ts';

/** Per-batch latency on one GPU at batch size 8, and memory. */
const MODELS: Record<string, { latMs: number; memMb: number; perItemMb: number }> = {
  'bert-base': { latMs: 9, memMb: 440, perItemMb: 38 },
  resnet50: { latMs: 6, memMb: 100, perItemMb: 22 },
  'gpt2-small': { latMs: 15, memMb: 520, perItemMb: 60 },
};
const BATCH_SIZES = ['8', '16', '32'] as const;
const ML_MODEL_SUITES = {
  inference: {
    baseMs: 1500,
    cls: 'TestServing',
    module: 'test_serving',
    scale: 1,
    kinds: ['ml-tolerance', 'ml-latency'],
    tests: [
      'test_batch_latency',
      'test_throughput_under_load',
      'test_fp16_matches_fp32',
      'test_warm_start_under_2s',
    ],
  },
  training: {
    baseMs: 22000,
    cls: 'TestTrainer',
    module: 'test_trainer',
    scale: 3,
    kinds: ['ml-loss', 'ml-tolerance'],
    tests: [
      'test_loss_decreases',
      'test_checkpoint_roundtrip',
      'test_gradient_accumulation_matches_full_batch',
    ],
  },
} as const;
const ML_DATA: Record<string, readonly string[]> = {
  TestLoaders: [
    'test_tokenizer_roundtrip',
    'test_shuffle_is_seeded',
    'test_reads_parquet_partitions',
    'test_drops_corrupt_images',
    'test_collate_pads_to_longest',
    'test_streaming_resumes_after_restart',
    'test_augmentations_are_deterministic',
    'test_train_val_split_has_no_overlap',
  ],
  TestSchema: ['test_rejects_missing_labels', 'test_accepts_nullable_metadata', 'test_casts_int64_labels'],
};

/** Appends the model suites' tests, one per model and batch size, with their latency and memory. */
export function mlModelTests(out: TestSpec[]): void {
  for (const [suite, s] of Object.entries(ML_MODEL_SUITES)) {
    for (const frame of s.tests) {
      for (const [model, m] of Object.entries(MODELS)) {
        for (const bs of BATCH_SIZES) {
          const lat = m.latMs * (Number(bs) / 8) ** 0.75 * s.scale;
          out.push({
            project: 'ml',
            suite,
            class_name: `tests.${suite}.${s.module}.${s.cls}`,
            name: `${frame}[${model}-${bs}]`,
            frame,
            file: `tests/${suite}/${s.module}.py`,
            base_ms: s.baseMs * Math.sqrt(lat / 9),
            kind: s.kinds[out.length % s.kinds.length]!,
            detail: '',
            browser: null,
            model,
            batch_size: bs,
            lat_ms: lat,
            mem_mb: (m.memMb + m.perItemMb * Number(bs)) * (s.scale > 1 ? 2.2 : 1),
            cuda_only: frame === 'test_fp16_matches_fp32',
          });
        }
      }
    }
  }
}

/** Appends the data suite's tests; a failure kind and dataset by catalog position. */
export function mlDataTests(out: TestSpec[]): void {
  const datasets = ['imagenet-mini', 'wikitext-103', 'coco-2017'];
  for (const [cls, frames] of Object.entries(ML_DATA)) {
    for (const frame of frames) {
      out.push({
        ...NONE,
        project: 'ml',
        suite: 'data',
        class_name: `tests.data.test_${cls === 'TestLoaders' ? 'loaders' : 'schema'}.${cls}`,
        name: frame,
        frame,
        file: `tests/data/test_${cls === 'TestLoaders' ? 'loaders' : 'schema'}.py`,
        base_ms: 350,
        kind: out.length % 2 ? 'ml-conn' : 'ml-shape',
        detail: datasets[out.length % datasets.length]!,
      });
    }
  }
}
