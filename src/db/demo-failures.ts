/**
 * How the demo's tests fail: a stack template per project and the failure
 * kinds' message templates. Data only; demo.ts turns it into SQL.
 */

/** Stack templates: {0} suite, {1} class, {2} function, {3} line, {4} column, {5} file, {6} first message line. */
export const STACKS: Record<string, string> = {
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
    kind: 'db-lost',
    status: 'ERROR',
    message:
      'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at "10.0.3.17", port 5432 failed: Connection refused',
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
