/**
 * The demo's cast: which tests exist, how they fail and what is planted.
 * Data only; demo.ts turns it into SQL.
 */
export const FLAKY = [
  {
    project: 'web',
    name: '[firefox] shows suggestions while typing',
    rate: 0.3,
    kind: 'web-timeout',
    detail: '[data-test=suggestions]',
  },
  { project: 'web', name: '[chromium] pays with a saved card', rate: 0.1, kind: 'web-http', detail: '' },
  {
    project: 'web',
    name: '[webkit] uploads an avatar',
    rate: 0.05,
    kind: 'web-timeout',
    detail: 'img.avatar',
  },
  {
    project: 'ml',
    name: 'test_throughput_under_load[gpt2-small-32]',
    rate: 0.15,
    kind: 'ml-latency',
    detail: '',
  },
] as const;
export const BROKEN = { project: 'api', name: 'refunds a partial payment' } as const;
export const SLOWED = { project: 'api', name: 'searches orders by customer email' } as const;
export const FLAKY_WORKER = 'gpu-3';
/** Extra per-attempt failure chance on the flaky worker. */
export const WORKER_FAILURE = 0.06;
/** A flaky failure's retry fails again this often at least: the cause often outlives one attempt. */
export const STICKY_RETRY = 0.3;
export const SLOWDOWN = 2.2;
const SKIPPED: Readonly<Record<string, string>> = {
  'web/[webkit] downloads an invoice as PDF': 'fixme: download events are not supported in WebKit yet',
  'api/never oversells the last item': 'disabled: ORD-1432 races under parallel checkout',
};
/** Tests that appear part-way through the history (by name, or by title for every browser or parameter): the fraction of the history before their first run. */
const ADDED: Readonly<Record<string, number>> = {
  'web/keeps filters in the URL': 0.45,
  'api/is idempotent on the request id': 0.6,
  'ml/test_streaming_resumes_after_restart': 0.3,
};

// ---------------------------------------------------------------- the test catalog

const WEB: Record<string, { baseMs: number; files: Record<string, readonly string[]> }> = {
  auth: {
    baseMs: 2500,
    files: {
      'login.spec.ts': [
        'logs in with a password',
        'rejects a wrong password',
        'locks the account after five failed attempts',
        'logs in with a magic link',
        'logs out from every device',
      ],
      'signup.spec.ts': [
        'signs up with an email address',
        'rejects an email that is already taken',
        'checks the password strength',
      ],
      'password-reset.spec.ts': ['sends a reset link', 'rejects an expired reset token'],
    },
  },
  checkout: {
    baseMs: 4200,
    files: {
      'cart.spec.ts': [
        'adds an item to the cart',
        'updates the quantity of an item',
        'shows an empty cart after removing the last item',
        'applies a discount code',
        'rejects an expired discount code',
      ],
      'payment.spec.ts': [
        'pays with a saved card',
        'rejects an expired card',
        'asks for 3-D Secure confirmation',
        'shows the order confirmation',
        'retries a declined payment',
      ],
    },
  },
  search: {
    baseMs: 1800,
    files: {
      'search.spec.ts': [
        'finds products by name',
        'shows suggestions while typing',
        'shows an empty state when nothing matches',
        'highlights the matched words',
        'paginates results',
      ],
      'filters.spec.ts': [
        'filters results by price',
        'filters by brand and size',
        'keeps filters in the URL',
        'clears all filters',
      ],
    },
  },
  profile: {
    baseMs: 2200,
    files: {
      'profile.spec.ts': [
        'uploads an avatar',
        'changes the display name',
        'shows the order history',
        'downloads an invoice as PDF',
      ],
      'settings.spec.ts': [
        'enables two-factor authentication',
        'switches the language to German',
        'deletes the account after confirmation',
      ],
    },
  },
};
const BROWSERS = ['chromium', 'firefox', 'webkit'] as const;
const SELECTORS = [
  '#submit',
  '[data-test=checkout-button]',
  'button:has-text("Pay now")',
  '#search-input',
  '.toast-success',
  'form#login button[type=submit]',
  '[data-test=cart-count]',
];

const API: Record<string, { baseMs: number; classes: Record<string, readonly string[]> }> = {
  users: {
    baseMs: 90,
    classes: {
      UserControllerTest: [
        'creates a user with a valid email',
        'rejects a duplicate email',
        'returns 404 for an unknown user',
        'updates the display name',
        'soft-deletes a user',
      ],
      UserRepositoryTest: [
        'finds users by email ignoring case',
        'pages through users by creation date',
        'stores the password as an argon2 hash',
      ],
      AuthTokenTest: [
        'issues a token that expires in 15 minutes',
        'rejects a tampered token',
        'refreshes a token only once',
      ],
      AddressValidatorTest: [
        'accepts a German postcode',
        'rejects letters in a US ZIP code',
        'normalises street abbreviations',
      ],
    },
  },
  billing: {
    baseMs: 160,
    classes: {
      InvoiceServiceTest: [
        'creates an invoice for a paid order',
        'applies VAT for EU customers [DE]',
        'applies VAT for EU customers [FR]',
        'applies VAT for EU customers [NL]',
        'applies VAT for EU customers [SE]',
        'rounds totals half-even',
        'voids an unpaid invoice',
      ],
      PaymentControllerTest: [
        'charges a card [EUR]',
        'charges a card [USD]',
        'charges a card [GBP]',
        'charges a card [JPY]',
        'rejects an expired card',
        'handles a declined card',
        'is idempotent on the request id',
      ],
      RefundServiceTest: [
        'refunds a partial payment',
        'refuses to refund more than was paid',
        'refunds to the original card',
      ],
      CurrencyTest: [
        'converts EUR to USD at the daily rate',
        'rounds JPY to whole yen',
        'refuses an unsupported currency',
      ],
    },
  },
  orders: {
    baseMs: 130,
    classes: {
      OrderControllerTest: [
        'creates an order',
        'rejects an order without items',
        'cancels an order before shipping',
        'returns 409 when cancelling a shipped order',
      ],
      OrderSearchTest: [
        'searches orders by customer email',
        'filters orders by status',
        'sorts orders by total',
      ],
      InventoryTest: [
        'reserves stock for an order',
        'releases stock when an order is cancelled',
        'never oversells the last item',
      ],
      ShippingQuoteTest: [
        'quotes free shipping over 50 EUR',
        'adds a surcharge for islands',
        'rejects an unknown carrier',
      ],
    },
  },
};

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

/** Stack templates: {0} suite, {1} class, {2} function, {3} line, {4} column, {5} file, {6} first message line. */
const STACKS: Record<string, string> = {
  web: '{6}\n\n    at {5}:{3}:{4}\n    at runTest (node_modules/@playwright/test/lib/worker/workerMain.js:361:15)\n    at WorkerMain.runTestGroup (node_modules/@playwright/test/lib/worker/workerMain.js:208:9)',
  api: '{6}\n\tat {1}.{2}({5}:{3})\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n\tat org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:728)',
  ml: 'Traceback (most recent call last):\n  File "{5}", line {3}, in {2}\n    out = runner.run(batch)\n  File "/opt/venv/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1532, in _wrapped_call_impl\n    return self._call_impl(*args, **kwargs)\n{6}',
};

/**
 * Failure kinds: message templates with {0} an integer in [nLo, nHi], {1} a
 * number in [xLo, xHi], {2} the test's detail, {3} an integer just below {0}.
 * A timeout sets the attempt's duration.
 */
export const FAILURES: readonly {
  kind: string;
  status: 'FAILED' | 'ERROR';
  message: string;
  nLo: number;
  nHi: number;
  xLo: number;
  xHi: number;
  timeoutMs: number | null;
}[] = [
  {
    kind: 'web-timeout',
    status: 'FAILED',
    message: "TimeoutError: waiting for selector '{2}' exceeded 30000 ms",
    nLo: 0,
    nHi: 0,
    xLo: 0,
    xHi: 0,
    timeoutMs: 30000,
  },
  {
    kind: 'web-http',
    status: 'FAILED',
    message: 'Error: expected status 200, got {0} after {1:.0f} ms',
    nLo: 502,
    nHi: 504,
    xLo: 800,
    xHi: 4800,
    timeoutMs: null,
  },
  {
    kind: 'web-text',
    status: 'FAILED',
    message: 'AssertionError: expected {3} to equal {0}',
    nLo: 3,
    nHi: 60,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'api-status',
    status: 'FAILED',
    message: 'org.opentest4j.AssertionFailedError: expected: <200> but was: <{0}>',
    nLo: 500,
    nHi: 503,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'api-equals',
    status: 'FAILED',
    message: 'org.opentest4j.AssertionFailedError: expected: <{0}> but was: <{3}>',
    nLo: 3,
    nHi: 250,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'api-timeout',
    status: 'ERROR',
    message: 'java.net.SocketTimeoutException: Read timed out after 5000 ms (GET /v1/{2}/{0})',
    nLo: 1000,
    nHi: 99999,
    xLo: 0,
    xHi: 0,
    timeoutMs: 5000,
  },
  {
    kind: 'api-db',
    status: 'ERROR',
    message:
      'org.springframework.dao.DataIntegrityViolationException: duplicate key value violates unique constraint "{2}_pkey"\n  Detail: Key (id)=({0}) already exists.',
    nLo: 10000,
    nHi: 99999,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'ml-tolerance',
    status: 'FAILED',
    message: 'AssertionError: max abs diff {1:.4f} exceeds tolerance 1e-3',
    nLo: 0,
    nHi: 0,
    xLo: 0.0011,
    xHi: 0.03,
    timeoutMs: null,
  },
  {
    kind: 'ml-latency',
    status: 'FAILED',
    message: 'AssertionError: p99 latency {1:.1f} ms exceeds the 200 ms budget',
    nLo: 0,
    nHi: 0,
    xLo: 201,
    xHi: 290,
    timeoutMs: null,
  },
  {
    kind: 'ml-loss',
    status: 'FAILED',
    message: 'AssertionError: loss {1:.3f} after 50 steps is not below the initial 2.303',
    nLo: 0,
    nHi: 0,
    xLo: 2.304,
    xHi: 2.6,
    timeoutMs: null,
  },
  {
    kind: 'ml-conn',
    status: 'ERROR',
    message:
      'ConnectionResetError: [Errno 104] Connection reset by peer while reading s3://datasets/{2}/part-{0:05d}.parquet',
    nLo: 0,
    nHi: 63,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'ml-shape',
    status: 'FAILED',
    message: 'AssertionError: expected batch shape (32, {0}), got (32, {3})',
    nLo: 128,
    nHi: 512,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'gpu-oom',
    status: 'FAILED',
    message:
      'torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate {1:.2f} GiB (GPU 0; 23.65 GiB total capacity; 21.{0} GiB already allocated)',
    nLo: 10,
    nHi: 99,
    xLo: 0.5,
    xHi: 4,
    timeoutMs: null,
  },
  {
    kind: 'gpu-illegal',
    status: 'ERROR',
    message:
      'RuntimeError: CUDA error: an illegal memory access was encountered\nCUDA kernel errors might be asynchronously reported at some other API call.',
    nLo: 0,
    nHi: 0,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'refund-currency',
    status: 'FAILED',
    message:
      'org.opentest4j.AssertionFailedError: expected: <200> but was: <422> (currency_mismatch: refund re_{0} is in EUR, its charge in USD)',
    nLo: 100000,
    nHi: 999999,
    xLo: 0,
    xHi: 0,
    timeoutMs: null,
  },
  {
    kind: 'payments-down',
    status: 'FAILED',
    message: 'expected status 200, got 503 after {1:.0f} ms (payments-sandbox unavailable)',
    nLo: 0,
    nHi: 0,
    xLo: 30000,
    xHi: 30200,
    timeoutMs: 30000,
  },
];

type Role = 'normal' | 'flaky' | 'broken' | 'slowed' | 'skipped';
export interface CatalogTest {
  ord: number;
  project: string;
  suite: string;
  class_name: string;
  name: string;
  frame: string;
  file: string;
  role: Role;
  flake_rate: number;
  base_ms: number;
  kind: string;
  detail: string;
  grp: string | null;
  browser: string | null;
  model: string | null;
  batch_size: string | null;
  lat_ms: number | null;
  mem_mb: number | null;
  cuda_only: boolean;
  skip_reason: string | null;
  added: number;
  stack: string;
}
export const CATALOG_TYPES: Record<keyof CatalogTest, string> = {
  ord: 'INTEGER',
  project: 'VARCHAR',
  suite: 'VARCHAR',
  class_name: 'VARCHAR',
  name: 'VARCHAR',
  frame: 'VARCHAR',
  file: 'VARCHAR',
  role: 'VARCHAR',
  flake_rate: 'DOUBLE',
  base_ms: 'DOUBLE',
  kind: 'VARCHAR',
  detail: 'VARCHAR',
  grp: 'VARCHAR',
  browser: 'VARCHAR',
  model: 'VARCHAR',
  batch_size: 'VARCHAR',
  lat_ms: 'DOUBLE',
  mem_mb: 'DOUBLE',
  cuda_only: 'BOOLEAN',
  skip_reason: 'VARCHAR',
  added: 'DOUBLE',
  stack: 'VARCHAR',
};

const camel = (s: string): string =>
  s
    .replace(/\[.*\]/, '')
    .trim()
    .split(/[^A-Za-z0-9]+/)
    .map((w, i) => (i ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join('');

export function catalog(): CatalogTest[] {
  const out: CatalogTest[] = [];
  const add = (
    t: Omit<CatalogTest, 'ord' | 'role' | 'flake_rate' | 'skip_reason' | 'added' | 'stack' | 'grp'> & {
      grp?: string;
    },
  ): void => {
    const key = `${t.project}/${t.name}`;
    const flaky = FLAKY.find((f) => f.project === t.project && f.name === t.name);
    const role: Role = flaky
      ? 'flaky'
      : t.project === BROKEN.project && t.name === BROKEN.name
        ? 'broken'
        : t.project === SLOWED.project && t.name === SLOWED.name
          ? 'slowed'
          : SKIPPED[key]
            ? 'skipped'
            : 'normal';
    out.push({
      ...t,
      ord: out.length,
      role,
      flake_rate: flaky?.rate ?? 0,
      grp: t.grp ?? null,
      kind: flaky?.kind ?? t.kind,
      detail: flaky?.detail || t.detail,
      skip_reason: SKIPPED[key] ?? null,
      added: ADDED[key] ?? ADDED[`${t.project}/${t.frame}`] ?? 0,
      stack: STACKS[t.project]!,
    });
  };
  const none = { browser: null, model: null, batch_size: null, lat_ms: null, mem_mb: null, cuda_only: false };
  const webKinds = ['web-timeout', 'web-http', 'web-text'];
  for (const [suite, { baseMs, files }] of Object.entries(WEB)) {
    for (const [file, titles] of Object.entries(files)) {
      for (const title of titles) {
        for (const browser of BROWSERS) {
          const n = out.length;
          add({
            ...none,
            project: 'web',
            suite,
            class_name: file,
            name: `[${browser}] ${title}`,
            frame: title,
            file: `tests/${suite}/${file}`,
            base_ms: baseMs,
            kind: webKinds[n % webKinds.length]!,
            detail: SELECTORS[n % SELECTORS.length]!,
            browser,
            ...(file === 'payment.spec.ts' ? { grp: 'payments' } : {}),
          });
        }
      }
    }
  }
  const apiKinds = ['api-status', 'api-equals', 'api-timeout', 'api-db'];
  for (const [suite, { baseMs, classes }] of Object.entries(API)) {
    for (const [cls, names] of Object.entries(classes)) {
      for (const name of names) {
        add({
          ...none,
          project: 'api',
          suite,
          class_name: `com.acme.api.${suite}.${cls}`,
          name,
          frame: camel(name),
          file: `${cls}.java`,
          base_ms: baseMs,
          kind: apiKinds[out.length % apiKinds.length]!,
          detail: suite,
          ...(cls === 'PaymentControllerTest' ? { grp: 'payments' } : {}),
        });
      }
    }
  }
  for (const [suite, s] of Object.entries(ML_MODEL_SUITES)) {
    for (const frame of s.tests) {
      for (const [model, m] of Object.entries(MODELS)) {
        for (const bs of BATCH_SIZES) {
          const lat = m.latMs * (Number(bs) / 8) ** 0.75 * s.scale;
          add({
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
  const datasets = ['imagenet-mini', 'wikitext-103', 'coco-2017'];
  for (const [cls, frames] of Object.entries(ML_DATA)) {
    for (const frame of frames) {
      add({
        ...none,
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
  return out;
}
