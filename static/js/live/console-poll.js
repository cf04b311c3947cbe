// The host console's audience poll (templates/live/screens/_console_poll.html): the payloads of
// its buttons, which of them fit, and the live count. The count of an open poll comes from the
// server's throttled `tally` messages (at most twice a second), which also say how many audience
// phones are connected; a closed poll's count is the tally its close wrote in the log.

import { el, fill, num } from "./client.js";

const DATA = JSON.parse(document.getElementById("poll-console-data").textContent);
const L = DATA.labels;
const $ = (id) => document.getElementById(id);

let client = null;
let view = null;
let live = { poll: null, counts: {}, total: 0 };
let audience = null;

export function wirePoll(stageClient) {
  client = stageClient;
  client.socket.on("tally", take);
  client.socket.on("connect", async () => take(await client.emit("tally")));
}

function take(message) {
  if (!message || message.ok === false) return;
  if (typeof message.audience === "number") audience = message.audience;
  if (message.poll !== null && message.poll !== undefined) live = message;
  if (view) drawPoll(view);
}

export function pollPayload(button) {
  if (button.dataset.kind !== "question") return { kind: "favourite" };
  const question = Number($("poll-question").value);
  return question ? { kind: "question", question } : null;
}

export function pollFits(button, v) {
  const open = Boolean(v.poll && v.poll.open);
  if (button.dataset.act === "poll.close") return open;
  return !open && (button.dataset.kind !== "question" || DATA.questions.length > 0);
}

export function drawPoll(v) {
  view = v;
  const poll = v.poll;
  const line = $("poll-now");
  const rows = $("poll-counts").tBodies[0];
  $("poll-audience").textContent = audience === null ? "" : fill(L.audience_n, { n: num(audience) });
  if (!poll) {
    line.textContent = L.no_poll;
    rows.replaceChildren();
    return;
  }
  const counts = poll.open ? (live.poll === poll.seq ? live.counts : {}) : poll.tally || {};
  const values = poll.choices.map((c) => Number(counts[String(c.value)] || 0));
  const total = values.reduce((a, b) => a + b, 0);
  const title = poll.kind === "favourite" ? L.favourite_title : L.question_title;
  line.textContent = `${poll.open ? L.poll_open : L.poll_closed} · ${title} · ${fill(L.total_n, { n: num(total) })}`;
  rows.replaceChildren(...poll.choices.map((choice, i) => {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.setProperty("--team", DATA.colours[String(choice.value)] || "#1f4e8c");
    const label = poll.kind === "favourite" ? choice.label : `${String.fromCharCode(65 + i)}. ${choice.label}`;
    return el("tr", { "data-choice": choice.value },
      el("td", {}, poll.kind === "favourite" ? swatch : null, ` ${label}`),
      el("td", { class: "num", text: num(values[i]) }));
  }));
}
