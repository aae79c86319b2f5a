// The bounds every argument of every operation is held to before a resolver runs (see
// guard-arguments.ts). One table, so a reviewer sees every exception to the defaults at once;
// a coordinate the schema lacks stops the build, like an undeclared permission does.

export interface ArgumentLimits {
  /** Longest String or ID argument (characters) unless `maxChars` names the coordinate. */
  defaultMaxChars: number;
  /** Per coordinate: `InputType.field` for input fields, `Type.field.argument` for arguments. */
  maxChars: Record<string, number>;
  /** Largest JSON argument, as UTF-8 JSON text, unless `maxJsonBytes` names the coordinate. */
  defaultMaxJsonBytes: number;
  maxJsonBytes: Record<string, number>;
  /** Longest list argument (items). */
  maxListItems: number;
}

const DESCRIPTION_CHARS = 2000;

export const ARGUMENT_LIMITS: ArgumentLimits = {
  // Ids are ~25 characters, names 200, cursors under 100: 1000 leaves room and refuses megabytes.
  defaultMaxChars: 1000,
  maxChars: {
    // Bounded by the request body limit (4 MB) instead: it is the image itself.
    'UploadImageInput.dataBase64': Number.POSITIVE_INFINITY,
    'CreateProductInput.description': DESCRIPTION_CHARS,
    'UpdateProductInput.description': DESCRIPTION_CHARS,
    'Mutation.createDefectType.description': DESCRIPTION_CHARS,
    'Mutation.updateDefectType.description': DESCRIPTION_CHARS,
    'Mutation.reviewInspection.note': DESCRIPTION_CHARS,
  },
  defaultMaxJsonBytes: 16 * 1024,
  maxJsonBytes: {
    // Factory settings hold integrations (MES endpoints, credentials): more than one image's metadata.
    'Mutation.updateFactory.settings': 64 * 1024,
  },
  maxListItems: 1000,
};
