"""The seed design's prediction service, as the reference for bench/inference.ts:
FastAPI + uvicorn + XGBoost. Same request shape as ours (POST /v1/predict with
{"basket": {...}}, unknown fields refused), the same Bearer API-key check
(sha256 of the secret looked up in the accepted hashes), the basket featurised in
Python (product presence over the training vocabulary + lines, spend, quantity),
one XGBoost multi-class booster, and label + probabilities + request id back.

Run: REFERENCE_MODEL_DIR=<dir written by train.py, plus keys.json> \
     /usr/bin/python3 -m uvicorn app:app --host 127.0.0.1 --port 8090 --no-access-log
"""
import hashlib
import json
import os
import re
import uuid
from typing import Optional

import numpy as np
import xgboost as xgb
from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, Extra, confloat, conint, conlist, constr

MODEL_DIR = os.environ["REFERENCE_MODEL_DIR"]
with open(os.path.join(MODEL_DIR, "meta.json")) as f:
    META = json.load(f)
with open(os.path.join(MODEL_DIR, "keys.json")) as f:
    # Accepted keys by sha256 (hex) of the secret, as in our deployment manifest.
    KEYS = {k["sha256"]: k["id"] for k in json.load(f)}
LABELS = META["labels"]
VOCABULARY = {prod: i for i, prod in enumerate(META["vocabulary"])}
N_FEATURES = META["features"]
AGGREGATE_COLUMNS = np.arange(len(VOCABULARY), N_FEATURES, dtype=np.int32)
MODEL_REF = {"versionId": "reference", "name": "seed-reference-xgboost", "version": 1}

BOOSTER = xgb.Booster(model_file=os.path.join(MODEL_DIR, "model.json"))
# One row per request: with 2 threads a call took ~3× as long here (OpenMP start-up), and the event loop runs one call at a time anyway.
BOOSTER.set_param({"nthread": 1})

BEARER = re.compile(r"^Bearer\s+(psk_[A-Za-z0-9_-]{1,200})\s*$")
Code = constr(strip_whitespace=True, min_length=1, max_length=64)


class Line(BaseModel, extra=Extra.forbid):
    prod: Code
    p10: Optional[Code] = None
    p20: Optional[Code] = None
    p30: Optional[Code] = None
    p40: Optional[Code] = None
    quantity: confloat(ge=0, le=1_000_000) = 1
    spend: confloat(ge=-1_000_000, le=1_000_000) = 0


class Basket(BaseModel, extra=Extra.forbid):
    basketId: Optional[constr(max_length=64)] = None
    week: Optional[conint(ge=190001, le=210053)] = None
    hour: Optional[conint(ge=0, le=23)] = None
    weekday: Optional[conint(ge=1, le=7)] = None
    storeCode: Optional[Code] = None
    storeFormat: Optional[Code] = None
    storeRegion: Optional[Code] = None
    basketSize: Optional[Code] = None
    basketType: Optional[Code] = None
    mission: Optional[Code] = None
    seg1: Optional[Code] = None
    seg2: Optional[Code] = None
    lines: conlist(Line, min_items=1, max_items=1000)


class PredictRequest(BaseModel, extra=Extra.forbid):
    basket: Basket


# async: FastAPI would run a plain def dependency in its thread pool, a hop per request.
async def require_key(authorization: Optional[str] = Header(None)) -> str:
    match = BEARER.match(authorization or "")
    key_id = KEYS.get(hashlib.sha256(match.group(1).encode()).hexdigest()) if match else None
    if key_id is None:
        raise HTTPException(status_code=401, detail="Missing, malformed or unknown API key", headers={"WWW-Authenticate": "Bearer"})
    return key_id


def featurise(basket: Basket) -> np.ndarray:
    """One dense row laid out as train.py's CSR rows: NaN (missing) where a product is absent, then the aggregates.
    Dense because XGBoost's per-call cost for one CSR row is several times that of a dense one."""
    row = np.full((1, N_FEATURES), np.nan, np.float32)
    for line in basket.lines:
        column = VOCABULARY.get(line.prod)
        if column is not None:
            row[0, column] = 1.0
    row[0, AGGREGATE_COLUMNS] = (len(basket.lines), sum(line.spend for line in basket.lines), sum(line.quantity for line in basket.lines))
    return row


app = FastAPI(title="PriceSense seed reference (FastAPI + XGBoost)")


@app.get("/healthz")
async def healthz():
    return {"status": "ok"}


@app.get("/readyz")
async def readyz():
    return {"ready": True, "model": MODEL_REF}


# async: the prediction takes well under a millisecond, so a thread-pool hop per request would cost more than it saves.
@app.post("/v1/predict")
async def predict(body: PredictRequest, key_id: str = Depends(require_key)):
    probabilities = BOOSTER.inplace_predict(featurise(body.basket))[0]
    best = int(np.argmax(probabilities))
    return {
        "requestId": str(uuid.uuid4()),
        "model": MODEL_REF,
        "prediction": {"label": LABELS[best], "probabilities": {label: float(p) for label, p in zip(LABELS, probabilities)}},
    }
