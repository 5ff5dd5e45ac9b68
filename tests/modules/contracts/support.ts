import fc from "fast-check";

/** Values a hand-written validator is likely to misjudge: edge numbers, blank strings, wrong types. */
export const oddValue = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    0,
    -0,
    -1,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    8.64e15,
    8.64e15 + 1,
  ),
  fc.constantFrom(2 ** 53, "", " ", " A ", "x", null, undefined, true, [], ["a", 1], ["a"], {}),
  fc.double(),
  fc.integer(),
  fc.string(),
);

/**
 * Candidates for comparing a hot-path validator with its schema, around a `valid` record: odd values, the
 * record with one field odd or missing, and the record with an extra field.
 */
export const candidatesAround = <T extends Record<string, unknown>>(valid: T) =>
  fc.oneof(
    oddValue,
    fc
      .record({ field: fc.constantFrom(...Object.keys(valid)), value: oddValue })
      .map(({ field, value }) => ({ ...valid, [field]: value })),
    fc.constantFrom(...Object.keys(valid)).map((field) => {
      const { [field]: _, ...rest } = valid;
      return rest;
    }),
    fc.constant({ ...valid, extra: 1 }),
  );
