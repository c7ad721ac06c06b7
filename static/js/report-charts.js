// Charts of the officers' review page (/can-bo/bao-cao/), drawn with the vendored Chart.js.
// The figures come from the page's <script type="application/json" id="report-figures"> (Django's
// json_script), the translated labels from data-label-* attributes of #report-charts: no inline
// script, so a Content-Security-Policy without 'unsafe-inline' holds. Every chart repeats numbers
// that are also in the table beside it.
(() => {
  "use strict";

  const root = document.getElementById("report-charts");
  const source = document.getElementById("report-figures");
  if (!root || !source || typeof window.Chart === "undefined") {
    return;
  }
  const Chart = window.Chart;
  const figures = JSON.parse(source.textContent);
  const labels = root.dataset;
  const style = getComputedStyle(root);
  const colour = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  const RED = colour("--report-red", "#b4232a");
  const GREY = colour("--report-grey", "#a39d94");
  const DARK = colour("--report-dark", "#464b53");
  const LIGHT = colour("--report-light", "#e8e5e0");
  const RULE = colour("--report-rule", "#d9d6d0");
  const TEXT = colour("--report-text", "#585e66");

  const number = new Intl.NumberFormat("vi-VN");
  const percent = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
  const money = (value) => `${number.format(value)}\u00a0₫`;
  const narrow = () => window.matchMedia("(max-width: 575.98px)").matches;
  // On a phone, the money axis counts in millions ("144 triệu ₫") so its ticks stay readable;
  // tooltips always give the exact amount.
  const compact = new Intl.NumberFormat("vi-VN", { notation: "compact", compactDisplay: "long" });
  const moneyTick = (value) => (narrow() ? `${compact.format(value)}\u00a0₫` : money(value));
  const countTick = (value) => (Number.isInteger(value) ? number.format(value) : "");

  // Long Vietnamese names become several lines of at most ``width`` characters.
  const wrap = (text, width) => {
    const lines = [];
    let line = "";
    for (const word of String(text).split(/\s+/)) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) lines.push(line);
    return lines;
  };
  const labelWidth = () => (narrow() ? 16 : 26);

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = TEXT;
  Chart.defaults.borderColor = RULE;
  Chart.defaults.locale = "vi-VN";
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;
  // The legend lists the series in the order they are given, whatever their drawing order.
  Chart.defaults.plugins.legend.labels.sort = (a, b) => a.datasetIndex - b.datasetIndex;
  // A row's or a month's figures together in one tooltip, titled with the whole (unwrapped) name.
  Chart.defaults.interaction.mode = "index";
  Chart.defaults.interaction.intersect = false;
  Chart.defaults.plugins.tooltip.callbacks.title = (items) => {
    if (!items.length) return "";
    const label = items[0].chart.data.labels[items[0].dataIndex];
    return Array.isArray(label) ? label.join(" ") : String(label);
  };
  Chart.defaults.plugins.tooltip.itemSort = (a, b) => a.datasetIndex - b.datasetIndex;
  Chart.defaults.layout.padding = { right: 12 };
  if (window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }

  const tooltipLabel = (context) => {
    const dataset = context.dataset;
    const value = context.parsed[context.chart.options.indexAxis === "y" ? "x" : "y"];
    if (value === null || value === undefined) return "";
    return `${dataset.label}: ${dataset.isMoney ? money(value) : number.format(value)}`;
  };
  const moneyAxis = (extra) => ({
    beginAtZero: true,
    ticks: { callback: moneyTick, maxTicksLimit: narrow() ? 4 : 6 },
    grid: { color: LIGHT },
    ...extra,
  });
  const countAxis = (extra) => ({
    beginAtZero: true,
    title: { display: !narrow(), text: labels.labelBeneficiaries },
    ticks: { callback: countTick, precision: 0, maxTicksLimit: narrow() ? 4 : 6 },
    grid: { drawOnChartArea: false },
    ...extra,
  });

  // The box's height follows the number of bars and of lines in their labels, so horizontal charts
  // never squeeze or overlap their labels.
  const LINE = 14;
  const sizeBox = (name, rowLabels, perRow, minimum) => {
    const box = root.querySelector(`[data-chart-box="${name}"]`);
    // Every category gets the same height on the axis: that of the longest label.
    const lines = Math.max(0, ...rowLabels.map((label) => label.length));
    const rows = rowLabels.length * Math.max(perRow, lines * LINE + 16);
    if (box) box.style.height = `${Math.max(minimum, rows + 100)}px`;
    return box;
  };
  const charts = [];
  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    if (canvas) charts.push(new Chart(canvas, config));
  };

  const drawAll = () => {
    const aid = figures.aid;

    // Aid by kind: money (cash and goods, stacked) on the bottom axis, beneficiaries on the top one.
    const kinds = Object.values(aid.by_kind);
    if (kinds.length) {
      const kindLabels = kinds.map((row) => wrap(row.label, labelWidth()));
      sizeBox("by-kind", kindLabels, 64, 240);
      draw("chart-by-kind", {
        type: "bar",
        data: {
          labels: kindLabels,
          datasets: [
            { label: labels.labelCash, data: kinds.map((row) => row.amount_vnd), backgroundColor: RED, stack: "money", xAxisID: "x", isMoney: true },
            { label: labels.labelGoods, data: kinds.map((row) => row.value_vnd), backgroundColor: GREY, stack: "money", xAxisID: "x", isMoney: true },
            { label: labels.labelBeneficiaries, data: kinds.map((row) => row.beneficiaries), backgroundColor: DARK, stack: "people", xAxisID: "x2" },
          ],
        },
        options: {
          indexAxis: "y",
          interaction: { axis: "y" },
          scales: {
            x: moneyAxis({ stacked: true, position: "bottom" }),
            x2: countAxis({ stacked: true, position: "top" }),
            y: { stacked: true, grid: { display: false } },
          },
          plugins: { tooltip: { callbacks: { label: tooltipLabel } } },
        },
      });
    }

    // Aid by month: cash and goods as bars, beneficiaries as a line on the right-hand axis.
    const months = aid.by_month;
    if (months.length) {
      sizeBox("by-month", [], 0, narrow() ? 280 : 320);
      draw("chart-by-month", {
        type: "bar",
        data: {
          labels: months.map((row) => row.label),
          datasets: [
            { label: labels.labelCash, data: months.map((row) => row.amount_vnd), backgroundColor: RED, yAxisID: "y", isMoney: true, order: 1 },
            { label: labels.labelGoods, data: months.map((row) => row.value_vnd), backgroundColor: GREY, yAxisID: "y", isMoney: true, order: 1 },
            // order 0: the line is drawn over the bars.
            { type: "line", label: labels.labelBeneficiaries, data: months.map((row) => row.beneficiaries), borderColor: DARK, backgroundColor: DARK, yAxisID: "y2", tension: 0, pointRadius: 3, order: 0 },
          ],
        },
        options: {
            scales: {
            x: { grid: { display: false }, title: { display: !narrow(), text: labels.labelMonth } },
            y: moneyAxis({ position: "left" }),
            y2: countAxis({ position: "right" }),
          },
          plugins: { tooltip: { callbacks: { label: tooltipLabel } } },
        },
      });
    }

    // Aid by direct sub-branch: cash on the bottom axis, beneficiaries on the top one.
    const branches = aid.by_branch;
    if (branches.length) {
      const name = (row) => (row.own ? `${row.name} (${labels.labelOwn})` : row.name);
      const branchLabels = branches.map((row) => wrap(name(row), labelWidth()));
      sizeBox("by-branch", branchLabels, 40, 240);
      draw("chart-by-branch", {
        type: "bar",
        data: {
          labels: branchLabels,
          datasets: [
            { label: labels.labelCash, data: branches.map((row) => row.amount_vnd), backgroundColor: RED, xAxisID: "x", isMoney: true },
            { label: labels.labelBeneficiaries, data: branches.map((row) => row.beneficiaries), backgroundColor: DARK, xAxisID: "x2" },
          ],
        },
        options: {
          indexAxis: "y",
          interaction: { axis: "y" },
          scales: {
            x: moneyAxis({ position: "bottom" }),
            x2: countAxis({ position: "top" }),
            y: { grid: { display: false }, ticks: { autoSkip: false } },
          },
          plugins: { tooltip: { callbacks: { label: tooltipLabel } } },
        },
      });
    }

    // Campaign progress: what was raised (red) drawn over the goal (grey), one row a campaign.
    const campaigns = figures.campaigns;
    if (campaigns.length) {
      const campaignLabels = campaigns.map((row) => wrap(row.name, labelWidth()));
      sizeBox("campaigns", campaignLabels, 60, 200);
      const ofGoal = (row) =>
        row.goal_percent === null ? "" : ` (${percent.format(row.goal_percent)}% ${labels.labelOfGoal})`;
      draw("chart-campaigns", {
        type: "bar",
        data: {
          labels: campaignLabels,
          datasets: [
            { label: labels.labelRaised, data: campaigns.map((row) => row.raised_vnd), backgroundColor: RED, grouped: false, barPercentage: 0.5, order: 1, isMoney: true },
            { label: labels.labelGoal, data: campaigns.map((row) => row.goal_vnd), backgroundColor: LIGHT, borderColor: GREY, borderWidth: 1, grouped: false, barPercentage: 0.85, order: 2, isMoney: true },
          ],
        },
        options: {
          indexAxis: "y",
          interaction: { axis: "y" },
          scales: {
            x: moneyAxis({ position: "bottom" }),
            y: { grid: { display: false }, ticks: { autoSkip: false } },
          },
          plugins: {
            tooltip: {
              callbacks: {
                label: (context) => {
                  const text = tooltipLabel(context);
                  return context.datasetIndex === 0 ? text + ofGoal(campaigns[context.dataIndex]) : text;
                },
              },
            },
          },
        },
      });
    }
  };

  // Draw once the portal's web font is there, so the labels are measured in the right font.
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(drawAll, drawAll);
  } else {
    drawAll();
  }

  // Chart.js does not resize on its own when the print style changes the page's width.
  window.addEventListener("beforeprint", () => charts.forEach((chart) => chart.resize()));
  window.addEventListener("afterprint", () => charts.forEach((chart) => chart.resize()));
})();
