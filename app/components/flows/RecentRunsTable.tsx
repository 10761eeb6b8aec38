import { Badge, EmptyState, IndexTable, Link, Text } from "@shopify/polaris";

// A flow's newest runs: who, where the run is, how it ended, and the way to the conversation.

export type RecentRunRow = {
  id: string;
  shopper: string;
  conversationId: string | null;
  state: string; // in words
  status: "ACTIVE" | "COMPLETED" | "CONVERTED" | "EXITED";
  started: string;
  startedFull: string;
  outcome: string;
};

const STATUS_BADGES = {
  ACTIVE: { tone: "info", label: "Active" },
  COMPLETED: { tone: undefined, label: "Completed" },
  CONVERTED: { tone: "success", label: "Converted" },
  EXITED: { tone: undefined, label: "Stopped" },
} as const;

export function RecentRunsTable({ rows }: { rows: RecentRunRow[] }) {
  return (
    <IndexTable
      resourceName={{ singular: "run", plural: "runs" }}
      itemCount={rows.length}
      selectable={false}
      emptyState={
        <EmptyState heading="No runs yet" image="">
          <p>When this flow is on, each shopper it talks to appears here, with how the conversation went.</p>
        </EmptyState>
      }
      headings={[
        { title: "Shopper" },
        { title: "Status" },
        { title: "Step" },
        { title: "Started" },
        { title: "Outcome" },
      ]}
    >
      {rows.map((run, index) => {
        const badge = STATUS_BADGES[run.status];
        return (
          <IndexTable.Row id={run.id} key={run.id} position={index}>
            <IndexTable.Cell>
              {run.conversationId ? (
                <Link url={`/app/inbox/${run.conversationId}`} dataPrimaryLink>
                  {run.shopper}
                </Link>
              ) : (
                <Text as="span">{run.shopper}</Text>
              )}
            </IndexTable.Cell>
            <IndexTable.Cell>
              <span data-testid="run-status" data-status={run.status}>
                <Badge tone={badge.tone}>{badge.label}</Badge>
              </span>
            </IndexTable.Cell>
            <IndexTable.Cell>{run.state}</IndexTable.Cell>
            <IndexTable.Cell>
              <span title={run.startedFull}>{run.started}</span>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <span data-testid="run-outcome">{run.outcome}</span>
            </IndexTable.Cell>
          </IndexTable.Row>
        );
      })}
    </IndexTable>
  );
}
