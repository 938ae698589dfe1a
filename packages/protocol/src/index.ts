/** Placeholder: replaced as the package is built. */
export const placeholder = true;
