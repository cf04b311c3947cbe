// Standings as the projector and the public scoreboard show them: rank, team, a bar in the
// team's colour as long as its share of the leader's points, the total.

import { el, num } from "./client.js";

export function standingsList(rows, final = false) {
  if (!rows) return null;
  const best = Math.max(1, ...rows.map((r) => r.total));
  return el("ol", { class: final ? "standings standings-final" : "standings" }, ...rows.map((row) => {
    const bar = el("span", { class: "standings-bar" });
    bar.style.setProperty("--team", row.colour);
    bar.style.setProperty("--share", String(Math.max(0, row.total) / best));
    return el("li", { class: "standings-row", "data-rank": row.rank },
      el("span", { class: "standings-rank", text: String(row.rank) }),
      el("span", { class: "standings-name", text: row.name }),
      bar,
      el("strong", { class: "standings-total", text: num(row.total) }));
  }));
}
