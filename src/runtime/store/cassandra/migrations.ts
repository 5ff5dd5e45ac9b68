import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { join } from "node:path";

/** One `NNNN_name.cql` file of migrations/cassandra. */
export interface CqlMigration {
  /** File name, e.g. `0002_trades.cql`; migrations apply in name order. */
  name: string;
  /** SHA-256 of the file as written (before substitution): an applied migration must never change. */
  checksum: string;
  /** The statements with `${name}` placeholders filled from `variables`. */
  statements(variables: Readonly<Record<string, string>>): string[];
}

const fileName = /^\d{4}_[\w-]+\.cql$/;

/**
 * Splits a migration into statements: lines starting with `--` are comments, `;` ends a statement
 * (the schema never needs one inside a literal).
 */
const splitStatements = (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("--"))
    .join("\n")
    .split(";")
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);

const substitute = (statement: string, variables: Readonly<Record<string, string>>, file: string) =>
  statement.replace(/\$\{(\w+)\}/g, (_, key: string) => {
    const value = variables[key];
    if (value === undefined) throw new Error(`migration ${file} uses unknown placeholder \${${key}}`);
    return value;
  });

/** The migrations in `folder`, in the order they apply. */
export const loadMigrations = async (folder: string): Promise<CqlMigration[]> => {
  const names = (await readdir(folder)).filter((name) => fileName.test(name)).sort();
  return Promise.all(
    names.map(async (name) => {
      const text = await Bun.file(join(folder, name)).text();
      const statements = splitStatements(text);
      return {
        name,
        checksum: createHash("sha256").update(text).digest("hex"),
        statements: (variables) => statements.map((statement) => substitute(statement, variables, name)),
      };
    }),
  );
};
