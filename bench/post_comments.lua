-- wrk script for bench/serve.py: post comments, each from a different reader.
-- Reads TOKEN, COOKIE and POST_ID from the environment; records the id of every comment
-- the server acknowledged (a 302 to #comment-ID) so that the bench can check them.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN")
  cookie = os.getenv("COOKIE")
  post_id = os.getenv("POST_ID")
  acknowledged = ""
  refused = 0
end

function request()
  counter = counter + 1
  local n = id .. "-" .. counter
  local body = "csrfmiddlewaretoken=" .. token .. "&post_id=" .. post_id
    .. "&body=Bench+comment+" .. n .. "%3A+*emphasis*%2C+%3Cscript%3Ex%3C%2Fscript%3E+and+a+%5Blink%5D(https%3A%2F%2Fexample.org)."
    .. "&author_name=Bench+" .. n .. "&author_email=bench" .. n .. "%40example.org"
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = cookie,
    ["X-Forwarded-For"] = "10." .. id .. "." .. math.floor(counter / 250) % 250 .. "." .. (counter % 250 + 1),
  }
  return wrk.format("POST", "/comments/post/", headers, body)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  local pk = string.match(location, "#comment%-(%d+)$")
  if status == 302 and pk then
    acknowledged = acknowledged .. pk .. ","
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("ACK_FILE"), "w")
  local refusals = 0
  for _, thread in ipairs(threads) do
    out:write(thread:get("acknowledged"))
    refusals = refusals + thread:get("refused")
  end
  out:close()
  io.write("refused " .. refusals .. "\n")
end
