import { readFileSync } from 'node:fs';
import { RowMappingError } from '../../shared/errors.js';
import type { RowMapping } from './document.js';
import { type ResolveOptions, resolveRowMapping } from './validate.js';

/** How {@link readRowMapping} reads a file (injected in tests). */
export interface ReadRowMappingOptions extends ResolveOptions {
  /** Reads a file as UTF-8 text. @default node:fs readFileSync */
  readonly readFile?: (path: string) => string;
}

/**
 * Reads a row mapping from a setting's value: JSON text when it starts with
 * `{` (the `ROW_MAPPING` variable, `--row-mapping '{…}'`), else the path of a
 * JSON file (`--row-mapping mapping.json`). An absent or empty value is the
 * default mapping (`{}`: today's row).
 *
 * @param value - the setting's value, as given
 * @param options - `source` names the setting in errors, e.g. `ROW_MAPPING`
 * @throws RowMappingError naming the source when the file cannot be read,
 *   the text is not JSON, or the document is invalid (every problem by its path)
 */
export function readRowMapping(
  value: string | undefined,
  options: ReadRowMappingOptions = {},
): RowMapping {
  const source = options.source ?? 'row mapping';
  const text = value?.trim() ?? '';
  if (text === '') return resolveRowMapping({}, options);
  let json = text;
  let origin = source;
  if (!text.startsWith('{')) {
    origin = `${source} (file "${text}")`;
    try {
      json = (options.readFile ?? ((path) => readFileSync(path, 'utf8')))(text);
    } catch (error) {
      throw new RowMappingError(
        `${source}: expected a JSON document or the path of a JSON file, and cannot read file "${text}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        [],
        { cause: error },
      );
    }
  }
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new RowMappingError(`${origin} is not valid JSON: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  return resolveRowMapping(document, { ...options, source: origin });
}
