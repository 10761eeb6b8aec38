import { useId } from "react";
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { DailyRuns } from "~/domain/flows/stats";

// Runs started per day with the converted ones drawn inside them (a cohort: converted ≤ started), as a plain SVG:
// Polaris Viz would be one more large dependency for one chart. Screen readers get a summary and the numbers as a
// table; each column has a tooltip.

const WIDTH = 720;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 26, left: 32 };
const STARTED = "var(--p-color-bg-fill-info)";
const CONVERTED = "var(--p-color-bg-fill-success)";

const visuallyHidden = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
} as const;

export function dayLabel(day: string): string {
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

/** A round top for the axis: 4 → 4, 7 → 8, 23 → 25, 130 → 150. */
function niceMax(value: number): number {
  if (value <= 4) return Math.max(1, value);
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((s) => s * magnitude >= value)!;
  return step * magnitude;
}

function Swatch({ color, label }: { color: string; label: string }) {
  return (
    <InlineStack gap="100" blockAlign="center" wrap={false}>
      <span
        aria-hidden
        style={{ width: 10, height: 10, borderRadius: 2, background: color, display: "inline-block" }}
      />
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
    </InlineStack>
  );
}

export function RunsChart({ daily, flowTitle }: { daily: DailyRuns[]; flowTitle: string }) {
  const id = useId();
  const started = daily.reduce((sum, d) => sum + d.started, 0);
  const converted = daily.reduce((sum, d) => sum + d.converted, 0);
  const max = niceMax(Math.max(0, ...daily.map((d) => d.started)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const band = plotWidth / Math.max(1, daily.length);
  const barWidth = Math.max(2, Math.min(28, band * 0.7));
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const labelled = daily.length <= 1 ? [0] : [0, Math.floor((daily.length - 1) / 2), daily.length - 1];
  const summary = `${flowTitle}, ${daily.length} days from ${dayLabel(daily[0]?.day ?? "")} to ${dayLabel(
    daily.at(-1)?.day ?? "",
  )}: ${started} started, ${converted} converted.`;

  return (
    <BlockStack gap="200">
      <InlineStack gap="400">
        <Swatch color={STARTED} label="Started" />
        <Swatch color={CONVERTED} label="Converted" />
      </InlineStack>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        data-testid="runs-chart"
        style={{ display: "block", maxHeight: 220 }}
      >
        <title id={`${id}-title`}>Runs started and converted per day</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {[0, max / 2, max].map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke="var(--p-color-border-secondary)"
              strokeWidth={1}
            />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fontSize={11} fill="var(--p-color-text-secondary)">
              {Number.isInteger(tick) ? tick : ""}
            </text>
          </g>
        ))}
        {daily.map((d, i) => {
          const x = PAD.left + i * band + (band - barWidth) / 2;
          return (
            <g key={d.day} data-day={d.day}>
              <title>{`${dayLabel(d.day)}: ${d.started} started, ${d.converted} converted`}</title>
              {/* A transparent column makes the whole day hoverable, not only its bar. */}
              <rect x={PAD.left + i * band} y={PAD.top} width={band} height={plotHeight} fill="transparent" />
              {d.started > 0 ? (
                <rect x={x} y={y(d.started)} width={barWidth} height={y(0) - y(d.started)} rx={2} fill={STARTED} />
              ) : null}
              {d.converted > 0 ? (
                <rect
                  x={x}
                  y={y(d.converted)}
                  width={barWidth}
                  height={y(0) - y(d.converted)}
                  rx={2}
                  fill={CONVERTED}
                />
              ) : null}
            </g>
          );
        })}
        {labelled.map((i) =>
          daily[i] ? (
            <text
              key={i}
              x={PAD.left + i * band + band / 2}
              y={HEIGHT - 8}
              textAnchor={i === 0 ? "start" : i === daily.length - 1 ? "end" : "middle"}
              fontSize={11}
              fill="var(--p-color-text-secondary)"
            >
              {dayLabel(daily[i].day)}
            </text>
          ) : null,
        )}
      </svg>
      <table style={visuallyHidden}>
        <caption>{summary}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Started</th>
            <th scope="col">Converted</th>
          </tr>
        </thead>
        <tbody>
          {daily
            .filter((d) => d.started > 0)
            .map((d) => (
              <tr key={d.day}>
                <th scope="row">{dayLabel(d.day)}</th>
                <td>{d.started}</td>
                <td>{d.converted}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </BlockStack>
  );
}
