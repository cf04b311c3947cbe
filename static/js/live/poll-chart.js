// The projector's poll scene (screen.js calls pollScene for scene "poll"): a bar chart of the
// audience's votes (vendored Chart.js, global `Chart`), each bar's label and count in a table
// beside it, and — while the poll is open — the QR code and the short link the phones join with.
//
// The view says which poll is on and, once it is closed, its final tally (the one in the log).
// While it is open the counts come from `tally` messages, which the server sends at most twice a
// second however fast the hall votes; a projector that (re)connects mid-poll asks for them once.
// The scene's element (#poll-box in screen.html) is kept across redraws, so the chart animates
// from one count to the next instead of being rebuilt.

import { el, fill, num } from "./client.js";

const DATA = JSON.parse(document.getElementById("poll-data").textContent);
const L = DATA.labels;
const OPTION_COLOURS = ["#3b82f6", "#e0523f", "#2faa5a", "#f2c230", "#a26ee0", "#e08a2c"];
const box = document.getElementById("poll-box");

let client = null;
let poll = null; // the poll block drawn (from the view)
let counts = {}; // choice (as a string) → votes
let asked = null; // "<poll>:<socket id>": the counts were asked for on this connection
let chart = null;
let parts = null;

export function watchTally(stageClient) {
  client = stageClient;
  client.socket.on("tally", (message) => {
    if (message && poll && poll.open && message.poll === poll.seq) {
      counts = message.counts || {};
      update();
    }
  });
}

export function pollScene(view) {
  const next = view.poll;
  if (!poll || next.seq !== poll.seq) {
    counts = {};
    build(next);
  }
  poll = next;
  if (!poll.open) counts = poll.tally || {};
  else askOnce();
  update();
  box.hidden = false;
  box.dataset.poll = String(poll.seq);
  return box;
}

function letter(index) {
  return String.fromCharCode(65 + index);
}

function colourOf(choice, index) {
  if (poll.kind === "favourite") return DATA.colours[String(choice.value)] || OPTION_COLOURS[index % 6];
  return OPTION_COLOURS[index % OPTION_COLOURS.length];
}

function shortLabel(choice, index) {
  return poll.kind === "favourite" ? choice.label : letter(index);
}

function build(block) {
  poll = block;
  if (chart) chart.destroy();
  chart = null;
  const canvas = el("canvas", { role: "img", "aria-label": L.result });
  const rows = el("tbody");
  parts = {
    state: el("span", { class: "poll-state" }),
    canvas,
    rows,
    total: el("p", { class: "poll-total" }),
    qr: el("figure", { class: "poll-join" },
      el("img", { class: "poll-qr", src: DATA.qr, alt: "", width: "370", height: "370" }),
      el("figcaption", {},
        el("span", { text: L.join_how }),
        el("strong", { class: "poll-url", text: DATA.join_text }))),
  };
  const title = block.kind === "favourite" ? L.favourite_title : L.question_title;
  const nodes = [
    el("header", { class: "poll-head" }, el("h1", { class: "poll-title", text: title }), parts.state),
    block.kind === "question" ? el("div", { class: "poll-stem", html: block.stem_html }) : null,
    el("div", { class: "poll-body" },
      el("div", { class: "poll-main" },
        el("div", { class: "poll-chart" }, canvas),
        el("table", { class: "poll-legend" },
          el("thead", {}, el("tr", {},
            el("th", { scope: "col", text: L.choice }),
            el("th", { scope: "col", class: "num", text: L.votes }),
            el("th", { scope: "col", class: "num", text: "%" }))),
          rows),
        parts.total),
      parts.qr),
  ];
  box.replaceChildren(...nodes.filter(Boolean));
}

function askOnce() {
  if (!client || !client.socket.connected) return;
  const key = `${poll.seq}:${client.socket.id}`;
  if (asked === key) return;
  asked = key;
  const seq = poll.seq;
  client.emit("tally").then((reply) => {
    if (reply && reply.ok && poll && poll.open && reply.poll === seq) {
      counts = reply.counts || {};
      update();
    }
  });
}

function currentValues() {
  return poll.choices.map((c) => Number(counts[String(c.value)] || 0));
}

function update() {
  if (!poll || !parts) return;
  const values = currentValues();
  const total = values.reduce((a, b) => a + b, 0);
  const top = Math.max(0, ...values);
  parts.state.textContent = poll.open ? L.poll_open : L.poll_closed;
  parts.state.dataset.open = String(poll.open);
  parts.qr.hidden = !poll.open;
  parts.total.textContent = fill(L.total_n, { n: num(total) });
  parts.rows.replaceChildren(...poll.choices.map((choice, i) => {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.setProperty("--team", colourOf(choice, i));
    const label = poll.kind === "favourite" ? choice.label : `${letter(i)}. ${choice.label}`;
    const share = total ? Math.round((100 * values[i]) / total) : 0;
    return el("tr", { class: !poll.open && total && values[i] === top ? "poll-row is-top" : "poll-row",
      "data-choice": choice.value },
    el("th", { scope: "row" }, swatch, el("span", { class: "poll-label", text: label })),
    el("td", { class: "num poll-count", text: num(values[i]) }),
    el("td", { class: "num poll-share", text: `${share}%` }));
  }));
  drawChart(values);
}

function drawChart(values) {
  if (typeof Chart === "undefined") return;
  if (chart) {
    chart.data.datasets[0].data = values;
    chart.update();
    return;
  }
  const canvas = parts.canvas;
  // Chart.js sizes itself from its box: build it once the scene is on the page.
  requestAnimationFrame(() => {
    if (chart || canvas !== parts.canvas) return;
    const colours = poll.choices.map((c, i) => colourOf(c, i));
    chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: poll.choices.map((c, i) => shortLabel(c, i)),
        datasets: [{ data: currentValues(), backgroundColor: colours, borderColor: colours, borderRadius: 6 }],
      },
      options: {
        indexAxis: poll.kind === "favourite" ? "y" : "x",
        maintainAspectRatio: false,
        animation: { duration: 300 },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: {
          x: { beginAtZero: true, ticks: { color: "#e6edf7", precision: 0, font: { size: 22 } }, grid: { color: "#2a3f60" } },
          y: { beginAtZero: true, ticks: { color: "#e6edf7", precision: 0, font: { size: 22 } }, grid: { color: "#2a3f60" } },
        },
      },
    });
  });
}
