/** The C integer limits Redis's arithmetic and parsers use (long long / unsigned long long), as bigints. */
export const INT64_MAX = 9223372036854775807n;
export const INT64_MIN = -9223372036854775808n;
export const UINT64_MAX = 18446744073709551615n;
