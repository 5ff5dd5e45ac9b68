/** Words of PromQL that look like metric names but are not. */
const keywords = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan", "Inf", "NaN"]);

/**
 * The metric names a PromQL expression selects: identifiers that are not functions, aggregations,
 * keywords, label names (in matchers and `by`/`on` lists), strings, durations or Grafana variables.
 * A selector written `{__name__="x"}` is not recognised; our queries never use one.
 */
export const metricNames = (expr: string): Set<string> => {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\b(group_left|group_right)\b/g, " ")
    .replace(/\$\{[^}]*\}|\$\w+/g, " ");
  const names = new Set<string>();
  for (const match of text.matchAll(/\d[\w.]*|[a-zA-Z_:][\w:]*/g)) {
    const word = match[0];
    if (/^\d/.test(word) || keywords.has(word)) continue;
    const after = text.slice(match.index + word.length);
    if (/^\s*\(/.test(after)) continue;
    names.add(word);
  }
  return names;
};
