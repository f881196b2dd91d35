/*
 * Transactional mail from templates: each template declares its variables as a zod schema and
 * renders a subject, a plain-text part and an HTML part from them. The HTML is written with the
 * html`` tag, which escapes every value put into it unless that value is itself html``, so a
 * variable can never add markup (a `<script>` in a name arrives as `&lt;script&gt;`). A rendered
 * mail has both parts, which nodemailer sends as multipart/alternative. (Prettier formats the
 * markup inside html`` as HTML: it may move whitespace, never change what is escaped.)
 */
import { z } from 'zod';
import { AppError, fieldErrors, type FieldError } from './errors.ts';
import type { Mail } from './mailer.ts';

/** Markup that is safe to put in a mail as it is: only html`` and trustedHtml() make one. */
export class SafeHtml {
  readonly markup: string;
  constructor(markup: string) {
    this.markup = markup;
  }
  toString(): string {
    return this.markup;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe in element content and in quoted attribute values. */
export const escapeHtml = (value: unknown): string => String(value).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

const inHtml = (value: unknown): string => {
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return value.map(inHtml).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(value);
};

/** The HTML tag: every `${value}` is escaped, except html`` fragments (and arrays of them), which nest as they are. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  return new SafeHtml(strings.reduce((markup, chunk, index) => markup + inHtml(values[index - 1]) + chunk));
}

/** Markup the template's author wrote and vouches for (a shared footer). Never pass a variable here. */
export const trustedHtml = (markup: string): SafeHtml => new SafeHtml(markup);

const NO_CR_OR_LF = /^[^\r\n]*$/;
const ONE_LINE = 'must be one line: no CR or LF';

/**
 * A string that may go into a mail header (an address, a subject): one line. CR or LF there
 * would let a value start a header of its own (`Bcc:`), so it is refused before anything else,
 * even before trimming (which would otherwise quietly remove a trailing one).
 */
export function singleLine<T extends z.ZodType<unknown, string>>(schema: T): z.ZodPipe<z.ZodString, T>;
export function singleLine(): z.ZodString;
export function singleLine(schema?: z.ZodType<unknown, string>) {
  const line = z.string().regex(NO_CR_OR_LF, ONE_LINE);
  return schema ? line.pipe(schema) : line;
}

export interface MailTemplate<V extends z.ZodType = z.ZodType> {
  /** How clients name it: kebab-case, stable. */
  name: string;
  description: string;
  /** Every variable the template reads, its type and limits; unknown ones are refused when the schema is strict. */
  variables: V;
  /** The default subject: plain text. Variables used here should be singleLine(). */
  subject(variables: z.output<V>): string;
  /** The text/plain part: plain text, nothing escaped. */
  text(variables: z.output<V>): string;
  /** The text/html part, written with html``. */
  html(variables: z.output<V>): SafeHtml;
}

/** Declares a template; the variables' type flows from its schema into the three render functions. */
export const defineTemplate = <V extends z.ZodType>(template: MailTemplate<V>): MailTemplate<V> => template;

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface RenderOptions {
  /** Where the variables came from, for the problem's field names (`in` and the path prefix); default body.variables. */
  at?: { in?: FieldError['in']; field?: string };
  /** A subject that replaces the template's own (already checked to be one line by the caller's schema, and again here). */
  subject?: string | undefined;
}

const notOneLine = (field: string, location: FieldError['in']) =>
  new AppError(400, 'header-injection', `The ${field} would break the mail's headers: it contains CR or LF.`, {
    errors: [{ ...(location ? { in: location } : {}), field, message: ONE_LINE }],
  });

/**
 * Checks the variables against the template's schema and renders it. Variables that do not fit
 * are a 422 naming each path (`variables.items.0.quantity`): the request was well formed, its
 * content does not fit the template. A subject that comes out with CR or LF is a 400, whatever
 * the template's schema let through.
 */
export function renderTemplate<V extends z.ZodType>(
  template: MailTemplate<V>,
  variables: unknown,
  options: RenderOptions = {},
): RenderedMail {
  const { in: location = 'body', field: prefix = 'variables' } = options.at ?? {};
  const parsed = template.variables.safeParse(variables);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues, location).map((error) => ({
      ...error,
      field: error.field === '(root)' ? prefix : `${prefix}.${error.field}`,
    }));
    throw new AppError(
      422,
      'invalid-template-variables',
      `The variables do not fit the ${template.name} template: ${[...new Set(errors.map((error) => error.field))].join(', ')}.`,
      { errors },
    );
  }
  const subject = options.subject ?? template.subject(parsed.data);
  if (!NO_CR_OR_LF.test(subject)) throw notOneLine('subject', location);
  return { subject, text: template.text(parsed.data), html: template.html(parsed.data).markup };
}

/** A rendered template addressed: what createMailer().send() takes. Addresses with CR or LF are refused (400 naming them). */
export function templatedMail(rendered: RenderedMail, { to, replyTo }: { to: string; replyTo?: string | undefined }): Mail {
  for (const [field, value] of Object.entries({ to, replyTo })) {
    if (value !== undefined && !NO_CR_OR_LF.test(value)) throw notOneLine(field, 'body');
  }
  return { to, ...(replyTo ? { replyTo } : {}), ...rendered };
}

/** What a client can read about a template: its name, description, and its variables as JSON Schema. */
export function describeTemplate(template: MailTemplate): { name: string; description: string; variables: Record<string, unknown> } {
  return {
    name: template.name,
    description: template.description,
    variables: z.toJSONSchema(template.variables, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
  };
}
