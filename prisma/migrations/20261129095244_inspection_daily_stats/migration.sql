-- CreateTable
CREATE TABLE "InspectionDailyStat" (
    "id" BIGSERIAL NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "lotId" TEXT,
    "line" TEXT,
    "station" TEXT,
    "defectTypeId" TEXT,
    "status" "InspectionStatus" NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "total" INTEGER NOT NULL,
    "pass" INTEGER NOT NULL,
    "fail" INTEGER NOT NULL,
    "reviewed" INTEGER NOT NULL,
    "overridden" INTEGER NOT NULL,

    CONSTRAINT "InspectionDailyStat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InspectionDailyStat_factoryId_productId_day_idx" ON "InspectionDailyStat"("factoryId", "productId", "day");

-- CreateIndex (edited: NULLS NOT DISTINCT, as for InspectionHourlyStat)
CREATE UNIQUE INDEX "InspectionDailyStat_factoryId_day_productId_lotId_line_stat_key" ON "InspectionDailyStat"("factoryId", "day", "productId", "lotId", "line", "station", "defectTypeId", "status") NULLS NOT DISTINCT;

-- Hand-written (docs/adr/0008-trends-rollup-by-trigger.md): the daily rollup is filled from the
-- hourly one, and the rollup trigger function now keeps both.
INSERT INTO "InspectionDailyStat" ("factoryId", "day", "productId", "lotId", "line", "station", "defectTypeId", "status", "total", "pass", "fail", "reviewed", "overridden")
SELECT "factoryId", date_trunc('day', "hour", 'UTC'), "productId", "lotId", "line", "station", "defectTypeId", "status",
       sum("total"), sum("pass"), sum("fail"), sum("reviewed"), sum("overridden")
FROM "InspectionHourlyStat"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- Adds the rows a statement inserted and subtracts the rows it deleted (an update does both),
-- grouped by rollup key, to the hourly and the daily rollup: one aggregate and two upserts per
-- statement, however many rows it touched. Keys are upserted in key order so that concurrent
-- writers lock rollup rows in the same order. Rows left at zero are deleted, so each table is
-- exactly a GROUP BY of "Inspection".
CREATE OR REPLACE FUNCTION inspection_hourly_stat_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cols constant text := '"factoryId", "createdAt", "productId", "lotId", "line", "station", "defectTypeId", "status", "verdict", "reviewVerdict"';
  changed text;
  emptied_hours bigint[];
  emptied_days bigint[];
BEGIN
  -- Transition tables exist only for the event that fired, so the source is chosen here and
  -- the statement is run dynamically (it still sees the transition tables).
  changed := CASE TG_OP
    WHEN 'INSERT' THEN format('SELECT %s, 1 AS sign FROM new_rows', cols)
    WHEN 'DELETE' THEN format('SELECT %s, -1 AS sign FROM old_rows', cols)
    ELSE format('SELECT %s, 1 AS sign FROM new_rows UNION ALL SELECT %s, -1 AS sign FROM old_rows', cols, cols)
  END;
  EXECUTE format($sql$
    WITH changed AS (%s),
    hours AS (
      SELECT "factoryId", date_trunc('hour', "createdAt", 'UTC') AS hour, "productId", "lotId", "line", "station", "defectTypeId", "status",
             sum(sign) AS total,
             sum(CASE WHEN COALESCE("reviewVerdict", "verdict") = 'PASS' THEN sign ELSE 0 END) AS pass,
             sum(CASE WHEN COALESCE("reviewVerdict", "verdict") = 'FAIL' THEN sign ELSE 0 END) AS fail,
             sum(CASE WHEN "reviewVerdict" IS NOT NULL THEN sign ELSE 0 END) AS reviewed,
             sum(CASE WHEN "reviewVerdict" <> "verdict" THEN sign ELSE 0 END) AS overridden
      FROM changed
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ),
    days AS (
      SELECT "factoryId", date_trunc('day', hour, 'UTC') AS day, "productId", "lotId", "line", "station", "defectTypeId", "status",
             sum(total) AS total, sum(pass) AS pass, sum(fail) AS fail, sum(reviewed) AS reviewed, sum(overridden) AS overridden
      FROM hours
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ),
    hours_upserted AS (
      INSERT INTO "InspectionHourlyStat" AS s ("factoryId", "hour", "productId", "lotId", "line", "station", "defectTypeId", "status", "total", "pass", "fail", "reviewed", "overridden")
      SELECT * FROM hours
      WHERE total <> 0 OR pass <> 0 OR fail <> 0 OR reviewed <> 0 OR overridden <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT ("factoryId", "hour", "productId", "lotId", "line", "station", "defectTypeId", "status") DO UPDATE SET
        "total" = s."total" + EXCLUDED."total",
        "pass" = s."pass" + EXCLUDED."pass",
        "fail" = s."fail" + EXCLUDED."fail",
        "reviewed" = s."reviewed" + EXCLUDED."reviewed",
        "overridden" = s."overridden" + EXCLUDED."overridden"
      RETURNING s."id", s."total"
    ),
    days_upserted AS (
      INSERT INTO "InspectionDailyStat" AS s ("factoryId", "day", "productId", "lotId", "line", "station", "defectTypeId", "status", "total", "pass", "fail", "reviewed", "overridden")
      SELECT * FROM days
      WHERE total <> 0 OR pass <> 0 OR fail <> 0 OR reviewed <> 0 OR overridden <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT ("factoryId", "day", "productId", "lotId", "line", "station", "defectTypeId", "status") DO UPDATE SET
        "total" = s."total" + EXCLUDED."total",
        "pass" = s."pass" + EXCLUDED."pass",
        "fail" = s."fail" + EXCLUDED."fail",
        "reviewed" = s."reviewed" + EXCLUDED."reviewed",
        "overridden" = s."overridden" + EXCLUDED."overridden"
      RETURNING s."id", s."total"
    )
    SELECT (SELECT array_agg("id") FROM hours_upserted WHERE "total" = 0),
           (SELECT array_agg("id") FROM days_upserted WHERE "total" = 0)
  $sql$, changed) INTO emptied_hours, emptied_days;
  IF emptied_hours IS NOT NULL THEN
    DELETE FROM "InspectionHourlyStat" WHERE "id" = ANY (emptied_hours);
  END IF;
  IF emptied_days IS NOT NULL THEN
    DELETE FROM "InspectionDailyStat" WHERE "id" = ANY (emptied_days);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION inspection_hourly_stat_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "InspectionHourlyStat";
  DELETE FROM "InspectionDailyStat";
  RETURN NULL;
END $$;
