-- wrk script for bench/inference.ts: POST /v1/predict, one basket per request,
-- cycling through pre-built bodies (one JSON body per line of a file), each
-- thread starting at a different body. Prints the result as one JSON line.
-- With WRK_DELAY_MS set, each connection waits that long after a response before
-- its next request: a roughly fixed offered rate instead of saturation.
--
--   wrk -t2 -c32 -d30s -s bench/inference-wrk.lua http://127.0.0.1:PORT -- BODIES_FILE API_KEY [PATH]

local threads = {}
local counter = 0

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local requests = {}
local position = 1

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open the bodies file " .. tostring(args[1]))
  local headers = { ["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json" }
  -- Pre-formatted requests: nothing is built per request, so wrk measures the service, not itself.
  for body in file:lines() do
    if #body > 0 then table.insert(requests, wrk.format("POST", args[3] or "/v1/predict", headers, body)) end
  end
  file:close()
  assert(#requests > 0, "no bodies in " .. args[1])
  position = (thread_index * 7919) % #requests + 1
end

-- Defined only when asked for: wrk sets a timer per request for any script that has delay().
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pause then
  function delay() return pause end
end

function request()
  local r = requests[position]
  position = position % #requests + 1
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"durationSeconds":%.6f,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d},' ..
    '"latencyMs":{"mean":%.4f,"p50":%.4f,"p90":%.4f,"p95":%.4f,"p99":%.4f,"max":%.4f}}\n',
    summary.requests, summary.duration / 1e6, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
