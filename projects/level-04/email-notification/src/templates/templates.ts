import { defineTemplate, html, singleLine, trustedHtml, type MailTemplate } from '@hub/core/mail-templates';
import { z } from 'zod';

// The three transactional mails this service sends. Each declares its variables (zod: types,
// limits, no unknown keys), and renders a subject, a text part and an HTML part from them. In
// the HTML every variable goes through html``, which escapes it.

/** A name shown in the subject: one line, so it can never start a header of its own. */
const name = singleLine(z.string().trim().min(1).max(100)).meta({ example: 'Ada Lovelace' });
/** A link in the mail: http or https only, so `javascript:` never becomes an href. */
const link = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

const FOOTER = trustedHtml(
  '<p style="color:#666;font-size:12px">Sent by Backend Hub. You get this mail because of an action on your account.</p>',
);
const TEXT_FOOTER = '-- \nSent by Backend Hub. You get this mail because of an action on your account.';

export const welcome = defineTemplate({
  name: 'welcome',
  description: 'Sent once an account is created: greets the user and links to the sign-in page.',
  variables: z.strictObject({ name, loginUrl: link.meta({ example: 'https://app.example.com/login' }) }),
  subject: ({ name }) => `Welcome, ${name}`,
  text: ({ name, loginUrl }) => [`Hello ${name},`, '', 'Your account is ready. Sign in here:', loginUrl, '', TEXT_FOOTER].join('\n'),
  html: ({ name, loginUrl }) =>
    html`<p>Hello ${name},</p>
      <p>Your account is ready. <a href="${loginUrl}">Sign in</a>.</p>
      ${FOOTER}`,
});

const line = z.strictObject({
  description: z.string().trim().min(1).max(200),
  quantity: z.int().min(1).max(10_000),
  unitPriceCents: z.int().min(0).max(100_000_000).describe('the price of one, in the smallest unit of the currency'),
});

export const receipt = defineTemplate({
  name: 'receipt',
  description: 'Sent after a payment: the order lines, the total, and a link to the receipt online.',
  variables: z.strictObject({
    name,
    orderId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,40}$/, 'must be 1 to 40 letters, digits or dashes')
      .meta({ example: 'A-1042' }),
    currency: z.enum(['EUR', 'USD', 'GBP']),
    items: z.array(line).min(1).max(100),
    receiptUrl: link.meta({ example: 'https://app.example.com/orders/A-1042' }),
  }),
  subject: ({ orderId }) => `Your receipt for order ${orderId}`,
  text: ({ name, orderId, currency, items, receiptUrl }) => {
    const money = moneyIn(currency);
    return [
      `Hello ${name},`,
      '',
      `Thank you for order ${orderId}.`,
      '',
      ...items.map((item) => `${item.quantity} × ${item.description}: ${money(item.quantity * item.unitPriceCents)}`),
      `Total: ${money(totalOf(items))}`,
      '',
      `Your receipt online: ${receiptUrl}`,
      '',
      TEXT_FOOTER,
    ].join('\n');
  },
  html: ({ name, orderId, currency, items, receiptUrl }) => {
    const money = moneyIn(currency);
    return html`<p>Hello ${name},</p>
      <p>Thank you for order <strong>${orderId}</strong>.</p>
      <table>
        ${items.map(
          (item) =>
            html`<tr>
              <td>${item.quantity} × ${item.description}</td>
              <td>${money(item.quantity * item.unitPriceCents)}</td>
            </tr>`,
        )}
        <tr>
          <th>Total</th>
          <th>${money(totalOf(items))}</th>
        </tr>
      </table>
      <p><a href="${receiptUrl}">Your receipt online</a></p>
      ${FOOTER}`;
  },
});

export const passwordChanged = defineTemplate({
  name: 'password-changed',
  description: "Sent after a password change: when it happened, and where to go if it was not the account's owner.",
  variables: z.strictObject({
    name,
    changedAt: z.iso.datetime({ error: 'must be an ISO 8601 date-time in UTC, such as 2030-01-01T12:00:00Z' }),
    resetUrl: link.meta({ example: 'https://app.example.com/forgot-password' }),
  }),
  subject: () => 'Your password was changed',
  text: ({ name, changedAt, resetUrl }) =>
    [
      `Hello ${name},`,
      '',
      `The password of your account was changed at ${changedAt}.`,
      'If it was you, there is nothing more to do. If it was not, reset it now:',
      resetUrl,
      '',
      TEXT_FOOTER,
    ].join('\n'),
  html: ({ name, changedAt, resetUrl }) =>
    html`<p>Hello ${name},</p>
      <p>The password of your account was changed at ${changedAt}.</p>
      <p>If it was you, there is nothing more to do. If it was not, <a href="${resetUrl}">reset it now</a>.</p>
      ${FOOTER}`,
});

/** Every template, by name: the only ones a client can send or preview. */
export const TEMPLATES: readonly MailTemplate[] = [welcome, receipt, passwordChanged];

export const templateNamed = (templateName: string): MailTemplate | undefined =>
  TEMPLATES.find((template) => template.name === templateName);

const totalOf = (items: ReadonlyArray<{ quantity: number; unitPriceCents: number }>) =>
  items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);

const moneyIn = (currency: string) => {
  const format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
  return (cents: number) => format.format(cents / 100);
};
