// The ecs-sim dashboard: what the simulator is doing, live. It reads only the admin API (the
// same JSON a test reads) and the event stream; nothing here changes state except the clock
// buttons, which call POST /_sim/clock/advance like a test would.
import { html, render, useEffect, useRef, useState } from "./vendor/htm-preact.js";

const TIMELINE_SECONDS = 120;
const MAX_EVENTS = 60;
const MAX_TASK_ROWS = 200;
const EVENT_TYPES = ["ECS Task State Change", "ECS Service Action", "ECS Deployment State Change", "ECS Container Instance State Change"];
const STATES = ["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"];

const token = new URLSearchParams(location.search).get("token") ?? sessionStorage.getItem("ecs-sim-token");
if (token) sessionStorage.setItem("ecs-sim-token", token);
const headers = token ? { authorization: `Bearer ${token}` } : {};

async function getJson(path) {
  const res = await fetch(path, { headers });
  return res.ok ? res.json() : undefined;
}

/** Polls the admin API and listens to the event stream; hands a fresh snapshot to `onChange`. */
function startFeed(onChange) {
  const snapshot = { health: undefined, state: undefined, usage: undefined, decisions: [], interruptions: [], events: [], error: undefined };
  let lastDecision = 0;
  let pending;
  const refresh = async () => {
    try {
      const [health, state, usage, throttles, spot] = await Promise.all([
        getJson("/_sim/health"),
        getJson("/_sim/state"),
        getJson("/_sim/usage"),
        getJson(`/_sim/throttles${lastDecision ? `?since=${lastDecision + 1}` : ""}`),
        getJson("/_sim/spot/interruptions"),
      ]);
      Object.assign(snapshot, { health, state, usage, error: undefined });
      if (throttles?.decisions?.length) {
        snapshot.decisions = [...snapshot.decisions, ...throttles.decisions].slice(-2000);
        lastDecision = throttles.decisions[throttles.decisions.length - 1].time;
      }
      snapshot.interruptions = spot?.interruptions ?? [];
    } catch (err) {
      snapshot.error = String(err);
    }
    onChange({ ...snapshot });
  };
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(refresh, 100);
  };
  // Each event arrives under its detail-type as the SSE event name.
  const events = new EventSource("/_sim/events?stream=1");
  const onEvent = (message) => {
    try {
      snapshot.events = [JSON.parse(message.data), ...snapshot.events].slice(0, MAX_EVENTS);
    } catch {
      return;
    }
    soon();
  };
  for (const type of EVENT_TYPES) events.addEventListener(type, onEvent);
  setInterval(refresh, 1000);
  refresh();
  return { refresh };
}

const shortId = (arn) => (arn ?? "").split("/").pop();
const time = (seconds) => (seconds ? new Date(seconds * 1000).toISOString().slice(11, 19) : "");

function Header({ health, feed }) {
  if (!health) return html`<header><h1>ecs-sim</h1><span class="muted">connecting…</span></header>`;
  const advance = async (ms) => {
    await fetch("/_sim/clock/advance", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ ms }) });
    feed.refresh();
  };
  return html`<header>
    <h1>ecs-sim ${health.version}</h1>
    <span class="fact">runtime <b>${health.runtime}</b></span>
    <span class="fact">clock <b>${health.clock}</b></span>
    <span class="fact">now <b data-testid="now">${health.now}</b></span>
    <span class="fact">seed <b data-testid="seed">${health.seed}</b></span>
    <span class="fact">timing <b>${health.timing}</b></span>
    ${health.clock === "virtual"
      ? html`<span>advance <button onClick=${() => advance(1000)}>+1 s</button> <button onClick=${() => advance(10_000)}>+10 s</button> <button data-testid="advance-1m" onClick=${() => advance(60_000)}>+1 min</button></span>`
      : null}
  </header>`;
}

function Clusters({ regions }) {
  // The state dump holds clusters as stored; the counts DescribeClusters computes come from tasks.
  const rows = regions.flatMap((r) =>
    r.clusters.map((c) => {
      const tasks = r.tasks.filter((t) => t.clusterArn === c.clusterArn);
      return {
        ...c,
        region: r.region,
        runningTasksCount: tasks.filter((t) => t.lastStatus === "RUNNING").length,
        pendingTasksCount: tasks.filter((t) => ["PROVISIONING", "PENDING", "ACTIVATING"].includes(t.lastStatus)).length,
        activeServicesCount: r.services.filter((s) => s.clusterArn === c.clusterArn && s.status === "ACTIVE").length,
      };
    }),
  );
  return html`<section>
    <h2>Clusters</h2>
    ${rows.length === 0 ? html`<div class="empty">no clusters</div>` : html`<table>
      <tr><th>name</th><th>region</th><th>status</th><th>running</th><th>pending</th><th>services</th></tr>
      ${rows.map((c) => html`<tr><td>${c.clusterName}</td><td>${c.region}</td><td class="status ${c.status}">${c.status}</td><td>${c.runningTasksCount}</td><td>${c.pendingTasksCount}</td><td>${c.activeServicesCount}</td></tr>`)}
    </table>`}
  </section>`;
}

function Services({ regions }) {
  const services = regions.flatMap((r) => r.services);
  return html`<section>
    <h2>Services</h2>
    ${services.length === 0 ? html`<div class="empty">no services</div>` : html`<table>
      <tr><th>service</th><th>desired</th><th>running</th><th>pending</th><th>deployments</th></tr>
      ${services.map((s) => html`<tr>
        <td title=${s.serviceArn}>${s.serviceName}</td><td>${s.desiredCount}</td><td>${s.runningCount}</td><td>${s.pendingCount}</td>
        <td>${(s.deployments ?? []).map((d) => html`<span class="status ${d.rolloutState}" title=${d.taskDefinition}>${d.status} ${shortId(d.taskDefinition)} ${d.rolloutState ?? ""} (${d.runningCount}/${d.desiredCount}) </span>`)}</td>
      </tr>`)}
    </table>`}
  </section>`;
}

function Tasks({ regions, selected, onSelect }) {
  const tasks = regions.flatMap((r) => r.tasks);
  const byState = Object.fromEntries(STATES.map((s) => [s, 0]));
  const byProvider = {};
  for (const t of tasks) {
    byState[t.lastStatus] = (byState[t.lastStatus] ?? 0) + 1;
    if (t.lastStatus !== "STOPPED") byProvider[t.capacityProviderName ?? t.launchType] = (byProvider[t.capacityProviderName ?? t.launchType] ?? 0) + 1;
  }
  const recent = [...tasks].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0)).slice(0, MAX_TASK_ROWS);
  return html`<section class="wide">
    <h2>Tasks (${tasks.length})</h2>
    <div class="chips" data-testid="task-states">${STATES.filter((s) => byState[s]).map((s) => html`<span class=${s}>${s} ${byState[s]}</span>`)}</div>
    <div class="chips">${Object.entries(byProvider).map(([p, n]) => html`<span>${p}: ${n} live</span>`)}</div>
    ${recent.length === 0 ? html`<div class="empty">no tasks</div>` : html`<table data-testid="tasks">
      <tr><th>task</th><th>cluster</th><th>definition</th><th>group</th><th>capacity</th><th>last</th><th>desired</th><th>stop</th><th>created</th></tr>
      ${recent.map((t) => html`<tr class="clickable" data-task=${shortId(t.taskArn)} onClick=${() => onSelect(shortId(t.taskArn))} style=${selected === shortId(t.taskArn) ? "background:#24303c" : ""}>
        <td>${shortId(t.taskArn)}</td><td>${shortId(t.clusterArn)}</td><td>${shortId(t.taskDefinitionArn)}</td><td>${t.group}</td>
        <td>${t.capacityProviderName ?? t.launchType}</td><td class="status ${t.lastStatus}">${t.lastStatus}</td><td>${t.desiredStatus}</td>
        <td title=${t.stoppedReason ?? ""}>${t.stopCode ?? ""}</td><td>${time(t.createdAt)}</td>
      </tr>`)}
    </table>`}
  </section>`;
}

/** A bar of `value` out of `max`; a quota is in trouble when full, a token bucket when empty. */
function Gauge({ label, value, max, testid, troubleWhen = "full" }) {
  const ratio = max ? Math.min(1, value / max) : 0;
  const trouble = troubleWhen === "full" ? ratio : 1 - ratio;
  return html`<div class="gauge" data-testid=${testid}>
    <div class="label"><span>${label}</span><span>${value} / ${max ?? "∞"}</span></div>
    <div class="bar"><div class="fill ${trouble >= 1 ? "full" : trouble > 0.8 ? "high" : ""}" style=${`width:${ratio * 100}%`}></div></div>
  </div>`;
}

function Quotas({ usage }) {
  if (!usage) return html`<section><h2>vCPU quotas</h2><div class="empty">limits are not enforced (unlimited profile)</div></section>`;
  return html`<section>
    <h2>vCPU in use</h2>
    ${usage.vcpu.length === 0 ? html`<div class="empty">no task has run yet</div>` : usage.vcpu.map((v) => html`<${Gauge} testid=${`vcpu-${v.region}-${v.vcpuClass}`} label=${`${v.region} ${v.vcpuClass} (${v.tasks} tasks)`} value=${v.inUse} max=${v.quota} />`)}
    <h2 style="margin-top:12px">Registration windows</h2>
    ${usage.registrationWindows.length === 0 ? html`<div class="empty">none open</div>` : usage.registrationWindows.map((w) => html`<div>${w.family} <span class="muted">${w.region}, ${w.remainingMs} ms left</span></div>`)}
  </section>`;
}

function Buckets({ usage }) {
  if (!usage) return null;
  return html`<section>
    <h2>Token buckets</h2>
    ${usage.buckets.length === 0 ? html`<div class="empty">no calls yet</div>` : usage.buckets.map((b) => html`<${Gauge} troubleWhen="empty" label=${`${b.bucket} (${b.sustained}/s)`} value=${Math.floor(b.tokens)} max=${b.burst} />`)}
  </section>`;
}

/** Refusals per second over the last two minutes of simulator time, with uPlot. */
function ThrottleTimeline({ decisions, now }) {
  const box = useRef();
  const plot = useRef();
  useEffect(() => {
    if (!box.current || typeof uPlot === "undefined") return;
    const end = Math.floor((now ?? Date.now()) / 1000);
    const xs = Array.from({ length: TIMELINE_SECONDS }, (_, i) => end - TIMELINE_SECONDS + 1 + i);
    const kinds = ["throttle", "vcpu-quota", "contention", "other"];
    const series = kinds.map(() => xs.map(() => 0));
    for (const d of decisions) {
      if (d.allowed) continue;
      const i = Math.floor(d.time / 1000) - xs[0];
      if (i < 0 || i >= xs.length) continue;
      const k = kinds.indexOf(d.kind);
      series[k === -1 ? 3 : k][i]++;
    }
    const data = [xs, ...series];
    if (!plot.current) {
      const colors = ["#e5534b", "#e0a030", "#b083f0", "#8796a8"];
      plot.current = new uPlot(
        {
          width: box.current.clientWidth || 600,
          height: 160,
          axes: [{ stroke: "#8796a8" }, { stroke: "#8796a8" }],
          series: [{}, ...kinds.map((k, i) => ({ label: k, stroke: colors[i], fill: `${colors[i]}33`, points: { show: false } }))],
        },
        data,
        box.current,
      );
    } else {
      plot.current.setData(data);
    }
  }, [decisions, now]);
  const refused = decisions.filter((d) => !d.allowed);
  return html`<section class="wide">
    <h2>Limit decisions (refusals per second, simulator time)</h2>
    <div ref=${box}></div>
    <table data-testid="decisions">
      <tr><th>time</th><th>operation</th><th>kind</th><th>limit</th><th>region</th><th>detail</th></tr>
      ${refused.slice(-8).reverse().map((d) => html`<tr><td>${new Date(d.time).toISOString().slice(11, 23)}</td><td>${d.operation}</td><td class="refused">${d.kind}</td><td>${d.limit}</td><td>${d.region}</td><td>${d.detail ?? ""}</td></tr>`)}
    </table>
  </section>`;
}

function Interruptions({ interruptions }) {
  return html`<section>
    <h2>Spot interruptions (${interruptions.length})</h2>
    ${interruptions.length === 0 ? html`<div class="empty">none</div>` : html`<table>
      <tr><th>task</th><th>cause</th><th>warning at</th></tr>
      ${interruptions.slice(-10).reverse().map((i) => html`<tr><td>${shortId(i.taskArn)}</td><td>${i.cause ?? i.source ?? ""}</td><td>${i.warningAtMs ? new Date(i.warningAtMs).toISOString().slice(11, 19) : ""}</td></tr>`)}
    </table>`}
  </section>`;
}

function Events({ events }) {
  return html`<section>
    <h2>Recent events</h2>
    ${events.length === 0 ? html`<div class="empty">waiting for events</div>` : html`<table data-testid="events">
      ${events.slice(0, 20).map((e) => html`<tr><td>${e.time?.slice(11, 19)}</td><td>${e["detail-type"]}</td><td>${shortId(e.resources?.[0])}</td><td class="status ${e.detail?.lastStatus ?? ""}">${e.detail?.lastStatus ?? e.detail?.eventName ?? ""}</td></tr>`)}
    </table>`}
  </section>`;
}

function TaskLogs({ taskId }) {
  const [logs, setLogs] = useState();
  useEffect(() => {
    if (!taskId) return undefined;
    let stop = false;
    const load = async () => {
      const body = await getJson(`/_sim/tasks/${taskId}/logs`);
      if (!stop) setLogs(body);
    };
    load();
    const timer = setInterval(load, 2000);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [taskId]);
  const lines = (logs?.containers ?? []).flatMap((c) => (c.events ?? c.lines ?? []).map((e) => `[${c.name}] ${typeof e === "string" ? e : e.message}`));
  return html`<section class="wide">
    <h2>Task logs ${taskId ? `(${taskId})` : ""}</h2>
    ${!taskId ? html`<div class="empty">click a task to see its logs</div>` : html`<pre class="logs">${lines.length ? lines.join("\n") : "no output captured"}</pre>`}
  </section>`;
}

function App() {
  const [snap, setSnap] = useState({ decisions: [], interruptions: [], events: [] });
  const [selected, setSelected] = useState();
  const feed = useRef();
  useEffect(() => {
    feed.current = startFeed(setSnap);
  }, []);
  const regions = snap.state?.regions ?? [];
  const now = snap.health ? Date.parse(snap.health.now) : undefined;
  return html`
    <${Header} health=${snap.health} feed=${feed.current} />
    ${snap.error ? html`<div class="refused" style="padding:8px 16px">${snap.error}</div>` : null}
    <main>
      <${Clusters} regions=${regions} />
      <${Services} regions=${regions} />
      <${Quotas} usage=${snap.usage} />
      <${Buckets} usage=${snap.usage} />
      <${Tasks} regions=${regions} selected=${selected} onSelect=${setSelected} />
      <${ThrottleTimeline} decisions=${snap.decisions} now=${now} />
      <${Interruptions} interruptions=${snap.interruptions} />
      <${Events} events=${snap.events} />
      <${TaskLogs} taskId=${selected} />
    </main>`;
}

const root = document.getElementById("app");
root.textContent = "";
render(html`<${App} />`, root);
