-- CreateTable
CREATE TABLE "PredictionRollup" (
    "deploymentId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "predictedLabel" TEXT NOT NULL,
    "predictions" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "PredictionRollup_pkey" PRIMARY KEY ("deploymentId","bucketStart","modelVersionId","predictedLabel")
);

-- CreateTable
CREATE TABLE "ConfusionRollup" (
    "deploymentId" TEXT NOT NULL,
    "bucketSeconds" INTEGER NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "trueLabel" TEXT NOT NULL,
    "predictedLabel" TEXT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ConfusionRollup_pkey" PRIMARY KEY ("deploymentId","bucketSeconds","bucketStart","trueLabel","predictedLabel")
);

-- CreateTable
CREATE TABLE "DriftRollup" (
    "deploymentId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "key" INTEGER NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "DriftRollup_pkey" PRIMARY KEY ("deploymentId","modelVersionId","bucketStart","key")
);

-- CreateTable
CREATE TABLE "DriftRollupState" (
    "deploymentId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "baselineHash" TEXT NOT NULL,
    "binnedFrom" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DriftRollupState_pkey" PRIMARY KEY ("deploymentId","modelVersionId")
);

-- CreateIndex
CREATE INDEX "PredictionRollup_bucketStart_idx" ON "PredictionRollup"("bucketStart");

-- CreateIndex
CREATE INDEX "ConfusionRollup_bucketStart_idx" ON "ConfusionRollup"("bucketStart");

-- CreateIndex
CREATE INDEX "DriftRollup_bucketStart_idx" ON "DriftRollup"("bucketStart");

-- CreateIndex
CREATE INDEX "MetricRollup_deploymentId_bucketSeconds_bucketStart_idx" ON "MetricRollup"("deploymentId", "bucketSeconds", "bucketStart");

-- Rollups kept by the database from the raw rows (not by each writer), so every
-- writer keeps them exact: telemetry ingestion, feedback, retention, a repair by
-- hand, an older worker still running during an upgrade. Statement-level
-- triggers see all the rows a statement changed (transition tables) and adjust
-- the rollups once per statement; rows are written in key order so concurrent
-- writers lock them in the same order.
LOCK TABLE "Prediction", "MetricRollup" IN SHARE ROW EXCLUSIVE MODE;

-- Prediction → PredictionRollup (per hour of `at`) and ConfusionRollup (per minute
-- and hour of `feedbackAt`): +1 for a row's new version, −1 for its old one.
CREATE FUNCTION "monitoring_prediction_rollups"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  src text := CASE TG_OP
    WHEN 'INSERT' THEN 'select 1 as s, * from new_rows'
    WHEN 'DELETE' THEN 'select -1 as s, * from old_rows'
    ELSE 'select 1 as s, * from new_rows union all select -1 as s, * from old_rows' END;
  predictions text := $q$
    select "deploymentId", coalesce("modelVersionId", '') as mv, date_trunc('hour', at) as b, "predictedLabel" as label,
           sum(s)::int as predictions, coalesce(sum(s) filter (where item = 0), 0)::int as requests
    from (%s) d group by 1, 2, 3, 4 having sum(s) <> 0 or coalesce(sum(s) filter (where item = 0), 0) <> 0$q$;
  confusion text := $q$
    select "deploymentId", g.sec, case g.sec when 60 then date_trunc('minute', "feedbackAt") else date_trunc('hour', "feedbackAt") end as b,
           "trueLabel" as truth, "predictedLabel" as label, sum(s)::int as n
    from (%s) d cross join (values (60), (3600)) as g(sec)
    where "trueLabel" is not null and "feedbackAt" is not null
    group by 1, 2, 3, 4, 5 having sum(s) <> 0$q$;
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Only decrements: a rollup row retention already removed stays removed.
    EXECUTE format($q$
      update "PredictionRollup" r set predictions = r.predictions + d.predictions, requests = r.requests + d.requests
      from (%s order by 1, 3, 2, 4) d
      where r."deploymentId" = d."deploymentId" and r."bucketStart" = d.b and r."modelVersionId" = d.mv and r."predictedLabel" = d.label$q$, format(predictions, src));
    EXECUTE format($q$
      update "ConfusionRollup" r set n = r.n + d.n
      from (%s order by 1, 2, 3, 4, 5) d
      where r."deploymentId" = d."deploymentId" and r."bucketSeconds" = d.sec and r."bucketStart" = d.b and r."trueLabel" = d.truth and r."predictedLabel" = d.label$q$, format(confusion, src));
  ELSE
    EXECUTE format($q$
      insert into "PredictionRollup" as r ("deploymentId", "modelVersionId", "bucketStart", "predictedLabel", predictions, requests)
      %s order by 1, 3, 2, 4
      on conflict ("deploymentId", "bucketStart", "modelVersionId", "predictedLabel") do update
        set predictions = r.predictions + excluded.predictions, requests = r.requests + excluded.requests$q$, format(predictions, src));
    EXECUTE format($q$
      insert into "ConfusionRollup" as r ("deploymentId", "bucketSeconds", "bucketStart", "trueLabel", "predictedLabel", n)
      %s order by 1, 2, 3, 4, 5
      on conflict ("deploymentId", "bucketSeconds", "bucketStart", "trueLabel", "predictedLabel") do update set n = r.n + excluded.n$q$, format(confusion, src));
  END IF;
  RETURN NULL;
END $fn$;

CREATE TRIGGER "Prediction_rollups_insert" AFTER INSERT ON "Prediction"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "monitoring_prediction_rollups"();
CREATE TRIGGER "Prediction_rollups_update" AFTER UPDATE ON "Prediction"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "monitoring_prediction_rollups"();
CREATE TRIGGER "Prediction_rollups_delete" AFTER DELETE ON "Prediction"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "monitoring_prediction_rollups"();

-- MetricRollup minute rows (bucketSeconds 60, written by the collector) → the hour's row
-- (bucketSeconds 3600): counts and histogram buckets added, status and class maps merged
-- key by key, the latest minute's model version. Retention removes minutes and hours
-- together (whole hours), so deletes are not carried over.
CREATE FUNCTION "monitoring_metric_hour_rollups"() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  src text := CASE TG_OP
    WHEN 'INSERT' THEN 'select 1 as s, * from new_rows'
    ELSE 'select 1 as s, * from new_rows union all select -1 as s, * from old_rows' END;
  minutes boolean;
BEGIN
  -- Writing the hour rows fires this trigger again: with no minute rows in the statement, nothing to do.
  EXECUTE format('select exists (select 1 from (%s) x where "bucketSeconds" = 60)', src) INTO minutes;
  IF NOT minutes THEN
    RETURN NULL;
  END IF;
  EXECUTE format($q$
    with d as (select *, date_trunc('hour', "bucketStart") as h from (%s) x where "bucketSeconds" = 60),
    t as (
      select "deploymentId", h, sum(s * requests)::int as requests, sum(s * errors)::int as errors, sum(s * "latencySumMs") as lsum,
             max("latencyBucketsMs") as bounds,
             (array_agg("modelVersionId" order by "bucketStart" desc) filter (where s > 0 and "modelVersionId" is not null))[1] as mv
      from d group by 1, 2),
    lat as (
      select "deploymentId", h, array_agg(c order by i) as counts from (
        select "deploymentId", h, u.i, sum(s * u.c)::int as c from d, unnest(d."latencyCounts") with ordinality as u(c, i) group by 1, 2, 3) x
      group by 1, 2),
    st as (
      select "deploymentId", h, jsonb_object_agg(k, n) as counts from (
        select "deploymentId", h, e.key as k, sum(s * e.value::bigint) as n from d, jsonb_each_text(d."statusCounts") e group by 1, 2, 3) x
      group by 1, 2),
    cl as (
      select "deploymentId", h, jsonb_object_agg(k, n) as counts from (
        select "deploymentId", h, e.key as k, sum(s * e.value::bigint) as n from d, jsonb_each_text(d."predictionsByClass") e group by 1, 2, 3) x
      group by 1, 2)
    insert into "MetricRollup" as r ("deploymentId", "modelVersionId", "bucketStart", "bucketSeconds", requests, errors, "statusCounts", "latencyBucketsMs", "latencyCounts", "latencySumMs", "predictionsByClass")
    select t."deploymentId", t.mv, t.h, 3600, t.requests, t.errors, coalesce(st.counts, '{}'), t.bounds, coalesce(lat.counts, '{}'), t.lsum, coalesce(cl.counts, '{}')
    from t left join lat using ("deploymentId", h) left join st using ("deploymentId", h) left join cl using ("deploymentId", h)
    order by 1, 3
    on conflict ("deploymentId", "bucketStart", "bucketSeconds") do update set
      requests = r.requests + excluded.requests,
      errors = r.errors + excluded.errors,
      "statusCounts" = (select coalesce(jsonb_object_agg(k, n), '{}'::jsonb) from (
        select k, sum(v::bigint) as n from (
          select key as k, value as v from jsonb_each_text(r."statusCounts")
          union all select key, value from jsonb_each_text(excluded."statusCounts")) s group by k) t),
      "latencyBucketsMs" = coalesce(excluded."latencyBucketsMs", r."latencyBucketsMs"),
      "latencyCounts" = (select array_agg(coalesce(a, 0) + coalesce(b, 0) order by i)
        from unnest(r."latencyCounts", excluded."latencyCounts") with ordinality as u(a, b, i)),
      "latencySumMs" = r."latencySumMs" + excluded."latencySumMs",
      "predictionsByClass" = (select coalesce(jsonb_object_agg(k, n), '{}'::jsonb) from (
        select k, sum(v::bigint) as n from (
          select key as k, value as v from jsonb_each_text(r."predictionsByClass")
          union all select key, value from jsonb_each_text(excluded."predictionsByClass")) s group by k) t),
      "modelVersionId" = coalesce(excluded."modelVersionId", r."modelVersionId")$q$, src);
  RETURN NULL;
END $fn$;

CREATE TRIGGER "MetricRollup_hours_insert" AFTER INSERT ON "MetricRollup"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "monitoring_metric_hour_rollups"();
CREATE TRIGGER "MetricRollup_hours_update" AFTER UPDATE ON "MetricRollup"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "monitoring_metric_hour_rollups"();

-- The history an upgrading installation already holds. Writers wait until this
-- migration commits (creating the triggers locked both tables), so nothing is
-- counted twice or missed.
INSERT INTO "PredictionRollup" ("deploymentId", "modelVersionId", "bucketStart", "predictedLabel", predictions, requests)
SELECT "deploymentId", coalesce("modelVersionId", ''), date_trunc('hour', at), "predictedLabel", count(*), count(*) FILTER (WHERE item = 0)
FROM "Prediction" GROUP BY 1, 2, 3, 4;

INSERT INTO "ConfusionRollup" ("deploymentId", "bucketSeconds", "bucketStart", "trueLabel", "predictedLabel", n)
SELECT "deploymentId", g.sec, CASE g.sec WHEN 60 THEN date_trunc('minute', "feedbackAt") ELSE date_trunc('hour', "feedbackAt") END, "trueLabel", "predictedLabel", count(*)
FROM "Prediction" CROSS JOIN (VALUES (60), (3600)) AS g(sec)
WHERE "trueLabel" IS NOT NULL AND "feedbackAt" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

-- Hour rows from the minute rows: taken out and put back, so the insert trigger builds them.
CREATE TEMP TABLE "monitoring_minutes" ON COMMIT DROP AS SELECT * FROM "MetricRollup" WHERE "bucketSeconds" = 60;
DELETE FROM "MetricRollup" WHERE "bucketSeconds" IN (60, 3600);
INSERT INTO "MetricRollup" SELECT * FROM "monitoring_minutes";
