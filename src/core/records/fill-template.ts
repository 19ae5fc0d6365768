/** Filling the `{{name}}` placeholders of a record template. */

/**
 * Replaces each `{{name}}` of `template` with its value, escaped for a double-quoted YAML
 * string (the templates quote every placeholder), so a title with quotes, backslashes or
 * colons cannot break the record. Placeholders without a value are left as they are.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Za-z][A-Za-z0-9_-]*)\}\}/g, (placeholder, name: string) => {
    const value = values[name];
    // JSON string escapes are valid inside a YAML double-quoted scalar.
    return value === undefined ? placeholder : JSON.stringify(value).slice(1, -1);
  });
}
