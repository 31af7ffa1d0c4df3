/**
 * The demo's web (Playwright, one test per browser) and api (JUnit) tests,
 * listed in catalog order; demo-ml-tests.ts lists the ml project's.
 */

/** A test of the catalog before demo-catalog.ts gives it its role in the story. */
export interface TestSpec {
  project: string;
  suite: string;
  class_name: string;
  name: string;
  frame: string;
  file: string;
  base_ms: number;
  kind: string;
  detail: string;
  grp?: string;
  browser: string | null;
  model: string | null;
  batch_size: string | null;
  lat_ms: number | null;
  mem_mb: number | null;
  cuda_only: boolean;
}

/** A test's fields outside its own project's: none. */
export const NONE = {
  browser: null,
  model: null,
  batch_size: null,
  lat_ms: null,
  mem_mb: null,
  cuda_only: false,
} as const;

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

const camel = (s: string): string =>
  s
    .replace(/\[.*\]/, '')
    .trim()
    .split(/[^A-Za-z0-9]+/)
    .map((w, i) => (i ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join('');

/** Appends the web tests: each title once per browser; a failure kind and selector by catalog position. */
export function webTests(out: TestSpec[]): void {
  const webKinds = ['web-timeout', 'web-http', 'web-text'];
  for (const [suite, { baseMs, files }] of Object.entries(WEB)) {
    for (const [file, titles] of Object.entries(files)) {
      for (const title of titles) {
        for (const browser of BROWSERS) {
          const n = out.length;
          out.push({
            ...NONE,
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
}

/** Appends the api tests: JUnit classes under com.acme.api; a failure kind by catalog position. */
export function apiTests(out: TestSpec[]): void {
  const apiKinds = ['api-status', 'api-equals', 'api-timeout', 'api-db'];
  for (const [suite, { baseMs, classes }] of Object.entries(API)) {
    for (const [cls, names] of Object.entries(classes)) {
      for (const name of names) {
        out.push({
          ...NONE,
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
}
