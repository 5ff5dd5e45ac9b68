CREATE TABLE `symbol_versions` (
	`symbol` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
) WITHOUT ROWID;
