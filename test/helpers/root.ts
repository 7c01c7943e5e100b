/** The repository's root, with a trailing slash: for tests that read the samples or the corpus. */
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
