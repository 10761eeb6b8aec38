// A small structured logger. Phone numbers are masked wherever they appear in a message, and known secret
// fields are never printed: logs are read by more people than the database is.
type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEYS = /(token|secret|password|api[_-]?key|authorization|signature)/i;
const PHONE = /\+?\(?\d[\d\s().-]{8,}\d/g;

export function maskPhonesIn(text: string): string {
  return text.replace(PHONE, (match) => {
    const digits = match.replace(/\D/g, "");
    if (digits.length < 10) return match;
    return `${match.trim().startsWith("+") ? "+" : ""}${"•".repeat(digits.length - 2)}${digits.slice(-2)}`;
  });
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return "…";
  if (typeof value === "string") return maskPhonesIn(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: maskPhonesIn(value.message) };
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? "[redacted]" : redact(v, depth + 1)]),
    );
  }
  return value;
}

function threshold(): number {
  const level = (process.env.LOG_LEVEL as Level | undefined) ?? (process.env.NODE_ENV === "test" ? "warn" : "info");
  return order[level] ?? order.info;
}

function write(level: Level, message: string, fields?: Record<string, unknown>) {
  if (order[level] < threshold()) return;
  const line = {
    level,
    time: new Date().toISOString(),
    msg: maskPhonesIn(message),
    ...(fields ? (redact(fields) as object) : {}),
  };
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${JSON.stringify(line)}\n`);
}

export const log = {
  debug: (message: string, fields?: Record<string, unknown>) => write("debug", message, fields),
  info: (message: string, fields?: Record<string, unknown>) => write("info", message, fields),
  warn: (message: string, fields?: Record<string, unknown>) => write("warn", message, fields),
  error: (message: string, fields?: Record<string, unknown>) => write("error", message, fields),
};
