// The row mapping: the document, its validation, key templates, the row a
// user should have and how a row differs from it. Re-exports only.
export * from './configMapping.js';
export * from './document.js';
export * from './expectedRow.js';
export * from './keySchema.js';
export * from './keys.js';
export * from './readRowMapping.js';
export * from './scan.js';
export * from './templates.js';
export * from './validate.js';
