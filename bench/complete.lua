-- wrk script: residents completing the whole questionnaire, as fast as the server lets them.
--
-- Run with as many threads as connections (wrk -t N -c N): wrk gives each thread its own Lua state but
-- does not say which connection a response belongs to, so one connection per thread makes the thread's
-- state one resident's browser (cookie, CSRF token, where it is). Each resident: GET the start page,
-- POST "Start now", then on every question page POST an answer read from $BENCH_PLANS (page number, tab,
-- a form body of a valid answer made by the engine; several per page, picked at random, so residents
-- branch differently), follow each redirect with a GET, POST "Send" on check your answers and GET the
-- confirmation page: one completed questionnaire. Then a new resident starts (no cookie).
-- Anything else (a status other than 200/302/303, a page it cannot place, an answer refused) is counted
-- as a failure and that resident starts again; the benchmark prints the failures and compares the
-- completions with the rows stored.
local threads = {}
local start_path = "/s/" .. (os.getenv("BENCH_QUESTIONNAIRE") or "safermk-2016")

function setup(thread)
  table.insert(threads, thread)
end

local plans = {}
local cookie, method, path, body

local function restart()
  cookie, method, path, body = nil, "GET", start_path, nil
end

function init(args)
  completed, failed, refused = 0, 0, 0
  local file = assert(io.open(os.getenv("BENCH_PLANS"), "r"))
  for line in file:lines() do
    local page, form = line:match("^(%d+)\t(.*)$")
    page = tonumber(page)
    plans[page] = plans[page] or {}
    table.insert(plans[page], form)
  end
  file:close()
  math.randomseed(os.time() + #threads + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  restart()
end

function request()
  local headers = {}
  if cookie then
    headers["Cookie"] = "survey_session=" .. cookie
  end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
  return wrk.format(method, path, headers, body)
end

local function fail()
  failed = failed + 1
  restart()
end

function response(status, headers, text)
  local set = headers["Set-Cookie"]
  if set then
    cookie = set:match("survey_session=([^;]*)") or cookie
  end
  if status == 302 or status == 303 then
    local location = headers["Location"]
    if not location then
      return fail()
    end
    method, path, body = "GET", location:gsub("^https?://[^/]+", ""), nil
    return
  end
  if status ~= 200 then
    return fail()
  end
  if method == "POST" then  -- a form sent back with 200 instead of a redirect: the answer was refused
    refused = refused + 1
    return restart()
  end
  if path == start_path .. "/done" then
    completed = completed + 1
    return restart()
  end
  local token = text:match('name="csrf_token" value="([^"]+)"')
  if not token then
    return fail()
  end
  method, body = "POST", "csrf_token=" .. token
  if path == start_path then
    path = start_path .. "/start"
    return
  end
  local page = tonumber(path:match("/p/(%d+)$") or "")
  if page then
    local forms = plans[page]
    if not forms then
      return fail()
    end
    local form = forms[math.random(#forms)]
    if form ~= "" then
      body = body .. "&" .. form
    end
    return
  end
  if path ~= start_path .. "/check" then
    return fail()
  end
end

function done(summary, latency, requests)
  local totals = {completed = 0, failed = 0, refused = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %.3f, \"errors\": %d, \"p50_ms\": %.2f, \"p99_ms\": %.2f, " ..
    "\"completed\": %d, \"failed\": %d, \"refused\": %d}\n",
    summary.requests, summary.duration / 1e6, errors, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, totals.completed, totals.failed, totals.refused))
end
