-- wrk script for bench/serve.py's side-by-side run: post comments to Isso's JSON API
-- (POST /new?uri=...), each from a different reader, recording every acknowledged id
-- (201 with the stored comment) in ACK_FILE so the bench can check they were stored.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  origin = os.getenv("ORIGIN")
  acknowledged = ""
end

function request()
  counter = counter + 1
  local n = id .. "-" .. counter
  local body = '{"text": "Bench comment ' .. n .. ': *emphasis*, <script>x</script> and a [link](https://example.org).", '
    .. '"author": "Bench ' .. n .. '", "email": "bench' .. n .. '@example.org", "title": "Essay ten"}'
  return wrk.format("POST", "/new?uri=%2Fessay-ten%2F", {
    ["Content-Type"] = "application/json",
    ["Origin"] = origin,
    ["Referer"] = origin .. "/essay-ten/",
  }, body)
end

function response(status, headers, body)
  if status == 201 then
    local pk = body:match('"id":%s*(%d+)')
    if pk then acknowledged = acknowledged .. pk .. "," end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("ACK_FILE"), "w")
  for _, thread in ipairs(threads) do
    out:write(thread:get("acknowledged"))
  end
  out:close()
end
