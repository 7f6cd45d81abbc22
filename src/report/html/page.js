// availcheck HTML report: filters, sorts and pages the findings and draws
// window timelines as SVG. Every text goes in through textContent (via
// append), never as markup. The query string can preset the filters
// (?severity=error&code=CPH005&file=0&sheet=Movies&field=Start&q=text) and
// draw a title's timelines (?timeline=TITLE).
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("availcheck-data").textContent);
  const PAGE = 50;
  const RANK = { error: 0, warning: 1, info: 2 };
  const LANES = ["Licensed SVOD", "CPH", "other"];
  const LANE_CLASS = ["licensed", "cph", "other"];
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);

  // An element with attributes and children (strings become text nodes).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    e.append(...children.filter((c) => c !== null && c !== undefined));
    return e;
  }
  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    e.append(...children);
    return e;
  }

  // ---- findings ----------------------------------------------------------
  const findings = data.findings;
  const state = { severity: "", code: "", file: "", sheet: "", field: "", q: "", sort: "", dir: 1, page: 0 };
  let shown = [];
  const filters = ["severity", "code", "file", "sheet", "field"];
  const valueOf = {
    severity: (f) => f.severity,
    code: (f) => f.code,
    file: (f) => String(f.file),
    sheet: (f) => f.sheet || "",
    field: (f) => f.field || "",
  };

  function fillSelect(key) {
    const select = $("f-" + key);
    const seen = new Set(findings.map(valueOf[key]).filter((v) => v !== ""));
    let values = [...seen];
    if (key === "severity") values.sort((a, b) => RANK[a] - RANK[b]);
    else if (key === "file") values.sort((a, b) => a - b);
    else values.sort();
    for (const v of values) {
      const label = key === "file" ? data.files[+v] : key === "code" ? v + " " + ruleTitle(v) : v;
      select.append(el("option", { value: v }, label));
    }
    select.addEventListener("change", () => { state[key] = select.value; state.page = 0; apply(); });
  }
  function ruleTitle(code) { return (data.rules[code] || {}).title || ""; }
  function place(f) { return data.files[f.file] + (f.place ? ":" + f.place : ""); }
  function haystack(f) {
    return [f.code, ruleTitle(f.code), place(f), f.field, f.value, f.message, f.help]
      .filter(Boolean).join("\n").toLowerCase();
  }
  const hay = findings.map(haystack);
  const sorters = {
    severity: (a, b) => RANK[a.severity] - RANK[b.severity],
    code: (a, b) => a.code.localeCompare(b.code),
    place: (a, b) => a.file - b.file || (a.sheet || "").localeCompare(b.sheet || "") ||
      rowOf(a) - rowOf(b) || (a.column || "").length - (b.column || "").length ||
      (a.column || "").localeCompare(b.column || ""),
    field: (a, b) => (a.field || "").localeCompare(b.field || ""),
  };
  function rowOf(f) { const m = /(\d+)(?::\d+)?$/.exec(f.place || ""); return m ? +m[1] : 0; }

  function apply() {
    const q = state.q.trim().toLowerCase();
    shown = [];
    findings.forEach((f, i) => {
      if (filters.some((k) => state[k] !== "" && valueOf[k](f) !== state[k])) return;
      if (q && !hay[i].includes(q)) return;
      shown.push(i);
    });
    if (state.sort) {
      const cmp = sorters[state.sort];
      shown.sort((a, b) => state.dir * cmp(findings[a], findings[b]) || a - b);
    }
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    render(pages);
  }

  function render(pages) {
    const start = state.page * PAGE;
    const body = $("findings-body");
    body.replaceChildren(...shown.slice(start, start + PAGE).map((i) => findingRow(findings[i])));
    const count = $("count");
    count.dataset.shown = shown.length;
    count.dataset.total = findings.length;
    let text = shown.length === findings.length
      ? `${findings.length} findings`
      : `${shown.length} of ${findings.length} findings match`;
    if (data.omitted) text += ` (${data.omitted} more not in this report: --max-diagnostics)`;
    count.textContent = text;
    $("page-info").textContent = `page ${state.page + 1} of ${pages}`;
    $("page-prev").disabled = state.page === 0;
    $("page-next").disabled = state.page >= pages - 1;
    for (const th of document.querySelectorAll("#findings-table th[data-sort]")) {
      if (th.dataset.sort === state.sort) th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
  }

  function findingRow(f) {
    const cell = el("td", { class: "finding" });
    cell.append(
      el("p", { class: "rule-title" }, ruleTitle(f.code)),
      el("p", { class: "message" }, f.message));
    if (f.help) cell.append(el("p", { class: "help" }, "Fix: " + f.help));
    if (f.related.length) {
      cell.append(el("ul", { class: "related" }, ...f.related.map(([m, at]) => el("li", {}, m + ": " + at))));
    }
    if (f.row !== null) cell.append(excerpt(f, false));
    const actions = el("div", { class: "actions" });
    const extra = el("div", {});
    const docs = el("button", { type: "button", "aria-expanded": "false" }, "Rule documentation");
    docs.addEventListener("click", () => {
      const open = docs.getAttribute("aria-expanded") === "true";
      docs.setAttribute("aria-expanded", String(!open));
      const old = extra.querySelector("pre.docs");
      if (old) old.remove();
      if (!open) extra.prepend(el("pre", { class: "docs" }, f.code + " — " + ruleTitle(f.code) + "\n\n" + (data.rules[f.code] || {}).docs));
    });
    actions.append(docs);
    if (f.timelines.length) {
      const tl = el("button", { type: "button", class: "timeline-button" }, "Timeline");
      const box = el("div", { class: "finding-timelines" });
      tl.addEventListener("click", () => {
        if (box.childElementCount) box.replaceChildren();
        else box.append(...f.timelines.map(drawGroup));
      });
      actions.append(tl);
      extra.append(box);
    }
    cell.append(actions, extra);
    return el("tr", { class: "sev-" + f.severity, "data-code": f.code },
      el("td", {}, el("span", { class: "badge " + f.severity }, f.severity)),
      el("td", {}, el("code", {}, f.code)),
      el("td", { class: "place" }, data.files[f.file], el("br"), el("strong", {}, f.place || "")),
      el("td", {}, f.field || ""),
      cell);
  }

  // The finding's row: a few cells either side of the bad one, or all.
  function excerpt(f, whole) {
    const cells = data.rows[f.row];
    let at = cells.findIndex((c) => c[0] === f.column);
    let from = 0, to = cells.length;
    if (!whole) {
      const mid = at < 0 ? 0 : at;
      from = Math.max(0, mid - 3);
      to = Math.min(cells.length, mid + 4);
    }
    const head = el("tr", { class: "head" });
    const values = el("tr", {});
    for (let i = from; i < to; i++) {
      const [letter, field, value] = cells[i];
      const bad = i === at ? "bad" : null;
      head.append(el("td", { class: bad }, letter + " " + field));
      values.append(el("td", { class: bad, title: value }, value));
    }
    const box = el("div", { class: "excerpt " + f.severity }, el("table", {}, head, values));
    if (!whole && (from > 0 || to < cells.length)) {
      const more = el("button", { type: "button" }, `whole row (${cells.length} cells)`);
      more.addEventListener("click", () => box.replaceWith(excerpt(f, true)));
      box.append(more);
    }
    return box;
  }

  // ---- timelines ---------------------------------------------------------
  const T = data.timelines;
  const str = (i) => T.strings[i];

  function iso(s) { return new Date(s * 1000).toISOString().replace(".000Z", "Z"); }
  function day(s) { return iso(s).slice(0, 10); }

  // True for a window of the previous delivery (--previous).
  function previous(bar) { return T.sources[bar[4]][5]; }

  function cellOf(bar) {
    const [file, sheet, startCol, endCol, xml] = T.sources[bar[4]];
    const row = bar[5];
    if (xml) return { file: data.files[file], cell: "line " + row };
    const prefix = sheet === null ? "" : sheet + "!";
    const cells = [startCol, endCol].filter((c) => c !== null).map((c) => prefix + c + row);
    return { file: data.files[file], cell: cells.length ? cells.join(" – ") : prefix + row + ":" + row };
  }

  // One title and territory: a row per window (the previous delivery's
  // under the current ones of their lane), the relations over them.
  function drawGroup(g) {
    const [title, territory, barIds, relations] = T.groups[g];
    const bars = barIds.map((b) => T.bars[b]);
    const order = bars.map((_, i) => i).sort((a, b) =>
      bars[a][1] - bars[b][1] || previous(bars[a]) - previous(bars[b]) ||
      (bars[a][2] ?? -Infinity) - (bars[b][2] ?? -Infinity) || a - b);
    const rowOfBar = [];
    order.forEach((b, r) => { rowOfBar[b] = r; });
    const times = [];
    for (const b of bars) { if (b[2] !== null) times.push(b[2]); if (b[3] !== null) times.push(b[3]); }
    for (const r of relations) if (r[0] === 0) { times.push(r[3]); if (r[4] !== null) times.push(r[4]); }
    let lo = Math.min(...times), hi = Math.max(...times);
    if (!times.length) { lo = Date.now() / 1000; hi = lo; }
    const pad = Math.max((hi - lo) * 0.06, 45 * 86400);
    lo -= pad; hi += pad;
    const W = 900, L = 210, R = 40, TOP = 22, ROW = 28, AXIS = 26;
    const H = TOP + bars.length * ROW + AXIS;
    const x = (t) => L + ((t - lo) / (hi - lo)) * (W - L - R);
    const yOf = (b) => TOP + rowOfBar[b] * ROW;
    const root = svg("svg", { class: "timeline", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img",
      "aria-label": `windows of ${str(title)} in ${territory}` });
    root.append(axis(lo, hi, x, TOP, H - AXIS, H));
    const notes = el("ul", {});
    // Relations under the bars, so the bars stay hoverable.
    const under = svg("g", {}), over = svg("g", {});
    for (const r of relations) {
      const [kind, a, b] = r;
      const y1 = Math.min(yOf(a), yOf(b)) + 2, y2 = Math.max(yOf(a), yOf(b)) + ROW - 4;
      if (kind === 0) {
        const x1 = x(r[3]), x2 = r[4] === null ? W - R + 12 : Math.max(x(r[4]), x1 + 3);
        const text = `overlap from ${iso(r[3])} to ${r[4] === null ? "open end" : iso(r[4])}`;
        under.append(svg("rect", { class: "overlap", x: x1, y: y1 - 2, width: x2 - x1, height: y2 - y1 + 4 },
          svg("title", {}, text)));
        over.append(svg("text", { class: "note overlap-note", x: x1 + 3, y: y1 - 5 }, "overlap"));
        notes.append(el("li", { class: "overlap" }, `Error: ${describe(bars[a])} and ${describe(bars[b])} overlap, ${text}.`));
      } else if (kind === 1) {
        const end = bars[a][3], start = bars[b][2];
        const x1 = x(end), x2 = Math.max(x(start), x1 + 3);
        under.append(svg("rect", { class: "gap", x: x1, y: y1, width: x2 - x1, height: y2 - y1 },
          svg("title", {}, `gap of ${r[3]}: ${iso(end)} to ${iso(start)}`)));
        over.append(svg("text", { class: "note gap-note", x: x2 + 4, y: y1 - 5 }, "gap " + r[3]));
        notes.append(el("li", { class: "gap" }, `Warning: gap of ${r[3]} between the end of ${describe(bars[a])} (${iso(end)}) and the start of ${describe(bars[b])} (${iso(start)}).`));
      } else {
        const at = x(bars[b][2]);
        over.append(svg("line", { class: "handover", x1: at, x2: at, y1: y1 - 4, y2: y2 + 4 },
          svg("title", {}, `one-minute handover at ${iso(bars[b][2])}`)));
        over.append(svg("text", { class: "note handover-note", x: at + 5, y: y1 - 5 }, "1-minute handover ✓"));
        notes.append(el("li", { class: "handover" }, `Good: ${describe(bars[a])} ends one minute before ${describe(bars[b])} starts (${iso(bars[b][2])}).`));
      }
    }
    root.append(under);
    bars.forEach((bar, i) => root.append(drawBar(bar, yOf(i), x, L, W - R, ROW)));
    root.append(over);
    if (!relations.length) notes.append(el("li", {}, "No overlap, gap or handover between these windows."));
    const before = bars.filter(previous);
    for (const bar of before) {
      const c = cellOf(bar);
      notes.append(el("li", { class: "previous" }, `Previous delivery: the ${LANES[bar[1]]} window (${c.file}, ${c.cell}), ${str(bar[6]) || "(no Start)"} – ${str(bar[7]) || "(no End)"}, is what Amazon has; replaced when this delivery re-sends its scope (then it takes no part in overlaps, gaps or handovers), kept otherwise.`));
    }
    return el("figure", { class: "timeline", "data-title": str(title), "data-territory": territory,
      "data-overlaps": relations.filter((r) => r[0] === 0).length, "data-previous": before.length },
      el("figcaption", {}, `${str(title)} — ${territory}`), root, notes);
  }

  function describe(bar) {
    const c = cellOf(bar);
    return `the ${previous(bar) ? "previous delivery's " : ""}${LANES[bar[1]]} window (${c.cell})`;
  }

  function drawBar(bar, y, x, left, right, ROW) {
    const [, lane, start, end] = bar;
    const before = previous(bar);
    const cls = LANE_CLASS[lane] + (before ? " previous" : "");
    const name = (before ? "previous delivery: " : "") + LANES[lane];
    const c = cellOf(bar);
    const x1 = start === null ? left : x(start);
    const x2 = end === null ? right : Math.max(x(end), x1 + 2);
    const g = svg("g", { class: "window " + cls });
    const tip = `${name} (${str(bar[8]) || "no LicenseType"})\nfile: ${c.file}\ncell: ${c.cell}\nStart: ${str(bar[6]) || "(empty)"}\nEnd: ${str(bar[7]) || "(empty)"}`;
    g.append(svg("rect", { class: "bar " + cls, x: x1, y: y + 6, width: x2 - x1, height: ROW - 12, rx: 2,
      "data-open-start": start === null, "data-open-end": end === null }, svg("title", {}, tip)));
    if (end === null) {
      g.append(svg("path", { class: "arrow " + cls, d: `M${right} ${y + 3} L${right + 12} ${y + ROW / 2} L${right} ${y + ROW - 3} Z` }, svg("title", {}, "open end")));
    }
    if (start === null) {
      g.append(svg("path", { class: "arrow " + cls, d: `M${left} ${y + 3} L${left - 12} ${y + ROW / 2} L${left} ${y + ROW - 3} Z` }, svg("title", {}, "no start date")));
    }
    g.append(svg("text", { class: "label", x: 6, y: y + ROW / 2 + 4 }, `${before ? "previous · " : ""}${LANES[lane]} · ${c.cell}`));
    return g;
  }

  // Year ticks (or quarters for short spans) with grid lines.
  function axis(lo, hi, x, top, bottom, height) {
    const g = svg("g", { class: "axis" });
    const first = new Date(lo * 1000).getUTCFullYear(), last = new Date(hi * 1000).getUTCFullYear();
    const years = last - first;
    const ticks = [];
    if (years < 2) {
      for (let y = first; y <= last; y++) for (const m of [0, 3, 6, 9]) ticks.push([Date.UTC(y, m, 1) / 1000, m ? `${y}-${String(m + 1).padStart(2, "0")}` : String(y)]);
    } else {
      const step = Math.max(1, Math.ceil(years / 10));
      for (let y = first + 1; y <= last; y += step) ticks.push([Date.UTC(y, 0, 1) / 1000, String(y)]);
    }
    for (const [t, label] of ticks) {
      if (t < lo || t > hi) continue;
      g.append(svg("line", { x1: x(t), x2: x(t), y1: top - 4, y2: bottom }),
        svg("text", { x: x(t) - 14, y: height - 8 }, label));
    }
    return g;
  }

  // The groups of the window findings, drawn when opened.
  function involved() {
    const box = $("tl-involved");
    if (!T.involved.length) {
      box.append(el("p", {}, `No window finding (${T.codes.join(", ")}) in this report. Draw any title below.`));
      return;
    }
    const n = T.involved.length;
    box.append(el("p", {}, `${n} title and territory ${n === 1 ? "pair has" : "pairs have"} window findings; open one to draw it.`));
    for (const g of T.involved) {
      const [title, territory, , relations] = T.groups[g];
      const counts = [0, 0, 0];
      for (const r of relations) counts[r[0]]++;
      const before = T.groups[g][2].filter((b) => previous(T.bars[b])).length;
      const summary = el("summary", {}, `${str(title)} — ${territory}: ${counts[0]} overlap, ${counts[1]} gap, ${counts[2]} handover` +
        (before ? `, ${before} previous-delivery window${before === 1 ? "" : "s"}` : ""));
      const d = el("details", { class: "group", "data-group": g }, summary);
      d.addEventListener("toggle", () => { if (d.open && d.childElementCount === 1) d.append(drawGroup(g)); });
      box.append(d);
    }
  }

  const titles = new Map();
  T.groups.forEach((grp, g) => {
    const t = str(grp[0]);
    if (!titles.has(t)) titles.set(t, []);
    titles.get(t).push(g);
  });

  function search(text) {
    const q = text.trim().toLowerCase();
    const out = $("tl-results");
    out.replaceChildren();
    if (!q) return;
    const exact = [...titles.keys()].filter((t) => t.toLowerCase() === q);
    const matches = exact.length ? exact : [...titles.keys()].filter((t) => t.toLowerCase().includes(q));
    if (!matches.length) { out.append(el("p", {}, `No title id contains “${text}”.`)); return; }
    if (matches.length > 5) out.append(el("p", {}, `${matches.length} titles match; the first 5 are drawn. Type more of the id to narrow it.`));
    for (const t of matches.slice(0, 5)) out.append(...titles.get(t).map(drawGroup));
  }

  // ---- wiring ------------------------------------------------------------
  filters.forEach(fillSelect);
  $("f-search").addEventListener("input", (e) => { state.q = e.target.value; state.page = 0; apply(); });
  $("page-prev").addEventListener("click", () => { state.page--; apply(); });
  $("page-next").addEventListener("click", () => { state.page++; apply(); });
  for (const th of document.querySelectorAll("#findings-table th[data-sort]")) {
    th.addEventListener("click", () => {
      state.dir = state.sort === th.dataset.sort ? -state.dir : 1;
      state.sort = th.dataset.sort;
      apply();
    });
  }
  $("tl-form").addEventListener("submit", (e) => { e.preventDefault(); search($("tl-search").value); });
  const params = new URLSearchParams(location.search);
  for (const k of filters) {
    const v = params.get(k);
    if (v !== null && [...$("f-" + k).options].some((o) => o.value === v)) { state[k] = v; $("f-" + k).value = v; }
    else if (v !== null) { state[k] = v; }
  }
  if (params.get("q")) { state.q = params.get("q"); $("f-search").value = state.q; }
  involved();
  apply();
  if (params.get("timeline")) { $("tl-search").value = params.get("timeline"); search(params.get("timeline")); }
  document.body.dataset.ready = "true";
})();
