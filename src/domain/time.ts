/** Midnight UTC of the day `t` falls on. @example startOfDayUtc(new Date('2026-11-22T15:04:05Z')) // 2026-11-22T00:00:00.000Z */
export const startOfDayUtc = (t: Date): Date =>
  new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
