// A small OpenAI-compatible chat server over node-llama-cpp, for tests only (loopback only).
//
//   node server.mjs --modules <dir with node_modules/node-llama-cpp> --model <file.gguf>
//                   [--port 0] [--threads 2] [--context 2048] [--max-tokens-cap 96] [--log requests.jsonl]
//
// Prints one line `listening <port>` on stdout once the model is loaded. Serves
//   GET  /v1/models
//   POST /v1/chat/completions   {messages, n, max_tokens, temperature, seed}
// Requests are answered one at a time (llama.cpp threads spin when starved: never two generations at once).
// Each of the `n` choices is a fresh chat: the system message becomes the system prompt, earlier turns the
// chat history, the last user message the prompt. `max_tokens` is capped (--max-tokens-cap), so a test never
// waits for a long generation on a shared machine.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const modules = option("modules");
const modelPath = option("model");
const port = Number(option("port", "0"));
const threads = Number(option("threads", "2"));
const contextSize = Number(option("context", "2048"));
const maxTokensCap = Number(option("max-tokens-cap", "96"));
const logPath = option("log");  // each request and its replies, one JSON line (so a test can see the exchange)
if (!modules || !modelPath) {
  console.error("usage: server.mjs --modules DIR --model FILE.gguf [--port N] [--threads N]");
  process.exit(2);
}

const entry = path.join(modules, "node_modules", "node-llama-cpp", "dist", "index.js");
const { getLlama, LlamaChatSession } = await import(pathToFileURL(entry).href);
const llama = await getLlama({ gpu: false });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize, threads });
const sequence = context.getSequence();

let queue = Promise.resolve();
function serially(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

function text(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (part && part.text) || "").join("");
  return "";
}

async function generate(messages, maxTokens, temperature, seed) {
  const system = messages.filter((m) => m.role === "system").map((m) => text(m.content)).join("\n");
  const turns = messages.filter((m) => m.role !== "system");
  const last = turns.length && turns[turns.length - 1].role === "user" ? turns.pop() : { content: "" };
  const history = [];
  if (system) history.push({ type: "system", text: system });
  for (const m of turns) {
    if (m.role === "assistant") history.push({ type: "model", response: [text(m.content)] });
    else history.push({ type: "user", text: text(m.content) });
  }
  sequence.clearHistory && (await sequence.clearHistory());
  const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: system || undefined,
                                         autoDisposeSequence: false });
  try {
    if (history.length) session.setChatHistory(history);
    const before = sequence.tokenMeter ? sequence.tokenMeter.usedOutputTokens : 0;
    const reply = await session.prompt(text(last.content), { maxTokens, temperature, seed });
    const after = sequence.tokenMeter ? sequence.tokenMeter.usedOutputTokens : 0;
    const promptTokens = model.tokenize(JSON.stringify(messages)).length;
    return { reply, completionTokens: Math.max(0, after - before) || model.tokenize(reply).length, promptTokens };
  } finally {
    session.dispose({ disposeSequence: false });
  }
}

function send(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) });
  res.end(data);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url.startsWith("/v1/models")) {
    send(res, 200, { object: "list", data: [{ id: "local", object: "model", owned_by: "local" }] });
    return;
  }
  if (req.method !== "POST" || !req.url.startsWith("/v1/chat/completions")) {
    send(res, 404, { error: { message: "not found", type: "invalid_request_error" } });
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    } catch {
      send(res, 400, { error: { message: "invalid JSON", type: "invalid_request_error" } });
      return;
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const n = Math.max(1, Math.min(8, Number(body.n) || 1));
    const maxTokens = Math.max(1, Math.min(maxTokensCap, Number(body.max_tokens) || maxTokensCap));
    const temperature = typeof body.temperature === "number" ? body.temperature : 0.7;
    const seed = Number.isInteger(body.seed) ? body.seed : 0;
    serially(async () => {
      const choices = [];
      let promptTokens = 0;
      let completionTokens = 0;
      for (let i = 0; i < n; i++) {
        const out = await generate(messages, maxTokens, temperature, seed + i);
        promptTokens += out.promptTokens;
        completionTokens += out.completionTokens;
        choices.push({ index: i, message: { role: "assistant", content: out.reply },
                       finish_reason: out.completionTokens >= maxTokens ? "length" : "stop" });
      }
      if (logPath) {
        fs.appendFileSync(logPath, JSON.stringify({ messages, n, max_tokens: maxTokens,
                                                    replies: choices.map((c) => c.message.content) }) + "\n");
      }
      send(res, 200, {
        id: `local-${Date.now()}`, object: "chat.completion", created: Math.floor(Date.now() / 1000),
        model: body.model || "local", choices,
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens,
                 total_tokens: promptTokens + completionTokens },
      });
    }).catch((err) => send(res, 500, { error: { message: String(err && err.message || err), type: "server_error" } }));
  });
});

server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}
