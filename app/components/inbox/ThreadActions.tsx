import { useState } from "react";
import {
  ActionList,
  Button,
  ButtonGroup,
  DatePicker,
  BlockStack,
  InlineStack,
  Popover,
  Select,
  Text,
} from "@shopify/polaris";
import { addDays, localDateOf, zonedInstant } from "~/domain/zoned-time";

// The thread's header actions: assign, close or reopen, snooze until, mark unread. Times are the shop's.

export type StaffOption = { id: string; name: string };

export type ThreadActionHandlers = {
  onAssign: (staffId: string | null) => void;
  onClose: () => void;
  onReopen: () => void;
  onSnooze: (until: Date) => void;
  onMarkUnread: () => void;
};

/** Snooze presets in the shop's zone: in an hour, tomorrow 9 am, next Monday 9 am. */
export function snoozePresets(timeZone: string, now = new Date()) {
  const today = localDateOf(timeZone, now.getTime());
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay(); // 0 = Sunday
  const daysToMonday = (8 - weekday) % 7 || 7;
  return [
    { label: "In 1 hour", until: new Date(now.getTime() + 3600_000) },
    { label: "Tomorrow, 9:00 AM", until: new Date(zonedInstant(timeZone, addDays(today, 1), 9 * 60)) },
    {
      label: "Next week (Monday, 9:00 AM)",
      until: new Date(zonedInstant(timeZone, addDays(today, daysToMonday), 9 * 60)),
    },
  ];
}

const HOURS = Array.from({ length: 24 }, (_, h) => ({
  label: `${h % 12 === 0 ? 12 : h % 12}:00 ${h < 12 ? "AM" : "PM"}`,
  value: String(h),
}));

function SnoozePicker({ timeZone, onSnooze }: { timeZone: string; onSnooze: (until: Date) => void }) {
  const today = localDateOf(timeZone, Date.now());
  const [month, setMonth] = useState({ month: today.month - 1, year: today.year });
  const [day, setDay] = useState(() => new Date(today.year, today.month - 1, today.day + 1));
  const [hour, setHour] = useState("9");
  const until = new Date(
    zonedInstant(
      timeZone,
      { year: day.getFullYear(), month: day.getMonth() + 1, day: day.getDate() },
      Number(hour) * 60,
    ),
  );
  const inFuture = until.getTime() > Date.now();
  return (
    <BlockStack gap="300">
      <DatePicker
        month={month.month}
        year={month.year}
        selected={day}
        onChange={({ start }) => setDay(start)}
        onMonthChange={(m, y) => setMonth({ month: m, year: y })}
        disableDatesBefore={new Date(today.year, today.month - 1, today.day)}
      />
      <Select
        label="Time"
        options={HOURS}
        value={hour}
        onChange={setHour}
        helpText={`Shop time (${timeZone.replace(/_/g, " ")})`}
      />
      <Button variant="primary" disabled={!inFuture} onClick={() => onSnooze(until)}>
        {inFuture ? "Snooze" : "Pick a later time"}
      </Button>
    </BlockStack>
  );
}

export function ThreadActions({
  status,
  assigneeId,
  staff,
  meId,
  timeZone,
  busy,
  handlers,
}: {
  status: "OPEN" | "PENDING" | "SNOOZED" | "CLOSED";
  assigneeId: string | null;
  staff: StaffOption[];
  meId: string | null;
  timeZone: string;
  busy: boolean;
  handlers: ThreadActionHandlers;
}) {
  const [open, setOpen] = useState<"assign" | "snooze" | null>(null);
  const [custom, setCustom] = useState(false);
  const toggle = (which: "assign" | "snooze") => {
    setCustom(false);
    setOpen((o) => (o === which ? null : which));
  };
  const close = () => setOpen(null);
  const assignItems = [
    ...(meId && meId !== assigneeId
      ? [{ content: "Assign to me", onAction: () => (close(), handlers.onAssign(meId)) }]
      : []),
    ...staff
      .filter((s) => s.id !== meId)
      .map((s) => ({
        content: s.name,
        active: s.id === assigneeId,
        onAction: () => (close(), handlers.onAssign(s.id)),
      })),
    ...(assigneeId
      ? [{ content: "Unassign", destructive: true, onAction: () => (close(), handlers.onAssign(null)) }]
      : []),
  ];

  return (
    <InlineStack gap="200" wrap={false}>
      <ButtonGroup>
        <Popover
          active={open === "assign"}
          onClose={close}
          activator={
            <Button disclosure onClick={() => toggle("assign")} disabled={busy}>
              Assign
            </Button>
          }
        >
          {assignItems.length > 0 ? (
            <ActionList actionRole="menuitem" items={assignItems} />
          ) : (
            <Popover.Section>
              <Text as="p" tone="subdued">
                Staff appear here once they open Parley.
              </Text>
            </Popover.Section>
          )}
        </Popover>
        <Popover
          active={open === "snooze"}
          onClose={close}
          activator={
            <Button disclosure onClick={() => toggle("snooze")} disabled={busy}>
              Snooze
            </Button>
          }
        >
          {custom ? (
            <Popover.Section>
              <SnoozePicker timeZone={timeZone} onSnooze={(until) => (close(), handlers.onSnooze(until))} />
            </Popover.Section>
          ) : (
            <ActionList
              actionRole="menuitem"
              items={[
                ...snoozePresets(timeZone).map((p) => ({
                  content: p.label,
                  onAction: () => (close(), handlers.onSnooze(p.until)),
                })),
                { content: "Pick a date and time…", onAction: () => setCustom(true) },
              ]}
            />
          )}
        </Popover>
        <Button onClick={handlers.onMarkUnread} disabled={busy}>
          Mark unread
        </Button>
        {status === "CLOSED" ? (
          <Button onClick={handlers.onReopen} disabled={busy}>
            Reopen
          </Button>
        ) : (
          <Button variant="primary" onClick={handlers.onClose} disabled={busy}>
            Close
          </Button>
        )}
      </ButtonGroup>
    </InlineStack>
  );
}
