CREATE TABLE `trade_aggregates` (
	`symbol` text NOT NULL,
	`trade_year` integer NOT NULL,
	`trade_month` integer NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`open` real NOT NULL,
	`high` real NOT NULL,
	`low` real NOT NULL,
	`close` real NOT NULL,
	`volume` real NOT NULL,
	`trade_count` integer NOT NULL,
	`vwap` real,
	`volatility` real,
	`mean` real NOT NULL,
	`m2` real NOT NULL,
	`sum_pv` real NOT NULL,
	`final` integer NOT NULL,
	`rev` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`symbol`, `trade_year`, `trade_month`, `window_start`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `trades_v2` (
	`symbol` text NOT NULL,
	`trade_year` integer NOT NULL,
	`trade_month` integer NOT NULL,
	`trade_day` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`trade_id` text NOT NULL,
	`seq` integer NOT NULL,
	`price` real NOT NULL,
	`volume` real NOT NULL,
	`conditions` text NOT NULL,
	`trade_hour` integer NOT NULL,
	`processed_at` integer NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`symbol`, `trade_year`, `trade_month`, `trade_day`, `timestamp`, `trade_id`)
) WITHOUT ROWID;
