-- AlterTable
ALTER TABLE "Inspection" ADD COLUMN     "defectTypeId" TEXT;

-- CreateTable
CREATE TABLE "InspectionHourlyStat" (
    "id" BIGSERIAL NOT NULL,
    "factoryId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "lotId" TEXT,
    "line" TEXT,
    "station" TEXT,
    "defectTypeId" TEXT,
    "status" "InspectionStatus" NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "total" INTEGER NOT NULL,
    "pass" INTEGER NOT NULL,
    "fail" INTEGER NOT NULL,
    "reviewed" INTEGER NOT NULL,
    "overridden" INTEGER NOT NULL,

    CONSTRAINT "InspectionHourlyStat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InspectionHourlyStat_factoryId_productId_hour_idx" ON "InspectionHourlyStat"("factoryId", "productId", "hour");

-- CreateIndex (edited: NULLS NOT DISTINCT, which Prisma cannot express, so that a key with no lot,
-- line, station or defect type is still one row and INSERT ... ON CONFLICT finds it)
CREATE UNIQUE INDEX "InspectionHourlyStat_factoryId_hour_productId_lotId_line_st_key" ON "InspectionHourlyStat"("factoryId", "hour", "productId", "lotId", "line", "station", "defectTypeId", "status") NULLS NOT DISTINCT;

-- Everything below is hand-written (docs/adr/0008-trends-rollup-by-trigger.md): the triggers that
-- keep "Inspection"."defectTypeId" equal to the image's label and "InspectionHourlyStat" equal to
-- a GROUP BY over "Inspection", whoever writes (API, worker, scripts, psql).

-- Existing rows first, before the triggers exist.
UPDATE "Inspection" ins SET "defectTypeId" = img."defectTypeId"
FROM "Image" img
WHERE img."id" = ins."imageId" AND img."factoryId" = ins."factoryId" AND img."defectTypeId" IS NOT NULL;

INSERT INTO "InspectionHourlyStat" ("factoryId", "hour", "productId", "lotId", "line", "station", "defectTypeId", "status", "total", "pass", "fail", "reviewed", "overridden")
SELECT "factoryId", date_trunc('hour', "createdAt", 'UTC'), "productId", "lotId", "line", "station", "defectTypeId", "status",
       count(*),
       count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'PASS'),
       count(*) FILTER (WHERE COALESCE("reviewVerdict", "verdict") = 'FAIL'),
       count(*) FILTER (WHERE "reviewVerdict" IS NOT NULL),
       count(*) FILTER (WHERE "reviewVerdict" <> "verdict")
FROM "Inspection"
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

-- The label of an inspection is its image's: set on insert (and whenever someone writes the
-- column or moves the inspection to another image, the image's value wins).
CREATE FUNCTION inspection_copy_image_label() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."defectTypeId" := (SELECT img."defectTypeId" FROM "Image" img WHERE img."id" = NEW."imageId" AND img."factoryId" = NEW."factoryId");
  RETURN NEW;
END $$;

CREATE TRIGGER inspection_copy_image_label
BEFORE INSERT OR UPDATE OF "imageId", "defectTypeId", "factoryId" ON "Inspection"
FOR EACH ROW EXECUTE FUNCTION inspection_copy_image_label();

-- A relabelled image relabels its inspections (which moves their counts in the rollup).
CREATE FUNCTION image_label_to_inspections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Inspection" SET "defectTypeId" = NEW."defectTypeId"
  WHERE "imageId" = NEW."id" AND "factoryId" = NEW."factoryId";
  RETURN NULL;
END $$;

CREATE TRIGGER image_label_to_inspections
AFTER UPDATE OF "defectTypeId" ON "Image"
FOR EACH ROW WHEN (OLD."defectTypeId" IS DISTINCT FROM NEW."defectTypeId")
EXECUTE FUNCTION image_label_to_inspections();

-- Adds the rows a statement inserted and subtracts the rows it deleted (an update does both),
-- grouped by rollup key, in one upsert per statement: a bulk insert of a million rows costs one
-- aggregate, not a million row triggers. Keys are upserted in key order so that concurrent
-- writers lock rollup rows in the same order (no deadlocks between them). Rows left at zero are
-- deleted, so the table is exactly the GROUP BY of "Inspection".
CREATE FUNCTION inspection_hourly_stat_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cols constant text := '"factoryId", "createdAt", "productId", "lotId", "line", "station", "defectTypeId", "status", "verdict", "reviewVerdict"';
  changed text;
  emptied bigint[];
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
    deltas AS (
      SELECT "factoryId", date_trunc('hour', "createdAt", 'UTC') AS hour, "productId", "lotId", "line", "station", "defectTypeId", "status",
             sum(sign) AS total,
             sum(CASE WHEN COALESCE("reviewVerdict", "verdict") = 'PASS' THEN sign ELSE 0 END) AS pass,
             sum(CASE WHEN COALESCE("reviewVerdict", "verdict") = 'FAIL' THEN sign ELSE 0 END) AS fail,
             sum(CASE WHEN "reviewVerdict" IS NOT NULL THEN sign ELSE 0 END) AS reviewed,
             sum(CASE WHEN "reviewVerdict" <> "verdict" THEN sign ELSE 0 END) AS overridden
      FROM changed
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ),
    upserted AS (
      INSERT INTO "InspectionHourlyStat" AS s ("factoryId", "hour", "productId", "lotId", "line", "station", "defectTypeId", "status", "total", "pass", "fail", "reviewed", "overridden")
      SELECT * FROM deltas
      WHERE total <> 0 OR pass <> 0 OR fail <> 0 OR reviewed <> 0 OR overridden <> 0
      ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT ("factoryId", "hour", "productId", "lotId", "line", "station", "defectTypeId", "status") DO UPDATE SET
        "total" = s."total" + EXCLUDED."total",
        "pass" = s."pass" + EXCLUDED."pass",
        "fail" = s."fail" + EXCLUDED."fail",
        "reviewed" = s."reviewed" + EXCLUDED."reviewed",
        "overridden" = s."overridden" + EXCLUDED."overridden"
      RETURNING s."id", s."total"
    )
    SELECT array_agg("id") FROM upserted WHERE "total" = 0
  $sql$, changed) INTO emptied;
  IF emptied IS NOT NULL THEN
    DELETE FROM "InspectionHourlyStat" WHERE "id" = ANY (emptied);
  END IF;
  RETURN NULL;
END $$;

-- One trigger per event: PostgreSQL allows transition tables only on single-event triggers.
CREATE TRIGGER inspection_hourly_stat_insert
AFTER INSERT ON "Inspection" REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION inspection_hourly_stat_apply();

CREATE TRIGGER inspection_hourly_stat_update
AFTER UPDATE ON "Inspection" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION inspection_hourly_stat_apply();

CREATE TRIGGER inspection_hourly_stat_delete
AFTER DELETE ON "Inspection" REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION inspection_hourly_stat_apply();

CREATE FUNCTION inspection_hourly_stat_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "InspectionHourlyStat";
  RETURN NULL;
END $$;

CREATE TRIGGER inspection_hourly_stat_truncate
AFTER TRUNCATE ON "Inspection"
FOR EACH STATEMENT EXECUTE FUNCTION inspection_hourly_stat_truncate();
