-- wrk script: the resident's question-page mix. Every connection is one resident (its own cookie and
-- CSRF token, made beforehand and read from $BENCH_SESSIONS); requests alternate between GET of the
-- question page and POST of a valid answer (a database write), like a resident moving through pages.
local sessions = {}
local counter = 0
local path = os.getenv("BENCH_PAGE") or "/s/safermk-2016/p/1"

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  local file = io.open(os.getenv("BENCH_SESSIONS"), "r")
  for line in file:lines() do
    local cookie, token = line:match("^(%S+)%s+(%S+)$")
    table.insert(sessions, {cookie = cookie, token = token})
  end
  file:close()
  me = sessions[((id - 1) % #sessions) + 1]
  n = 0
end

function request()
  if os.getenv("BENCH_MODE") == "hello" then
    return wrk.format("GET", "/hello/")
  end
  n = n + 1
  local headers = {Cookie = "survey_session=" .. me.cookie}
  if n % 2 == 1 then
    return wrk.format("GET", path, headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", path, headers, "csrf_token=" .. me.token .. "&answer=resident&page=1")
end

-- BENCH_RATE (requests/s over all connections): each connection waits between its requests, so the
-- whole run offers that rate (wrk measures latency from sending, so a server that falls behind shows as
-- an achieved rate below the offered one, which the benchmark prints).
function delay()
  local rate = tonumber(os.getenv("BENCH_RATE") or "0")
  if rate > 0 then
    return tonumber(os.getenv("BENCH_CONNECTIONS")) * 1000 / rate
  end
  return 0
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT {\"requests\": %d, \"seconds\": %.3f, \"errors\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f}\n",
    summary.requests, summary.duration / 1e6, errors, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
