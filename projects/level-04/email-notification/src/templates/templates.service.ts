import { notFound } from '@hub/core';
import { describeTemplate, renderTemplate, type MailTemplate } from '@hub/core/mail-templates';
import type { Preview, PreviewBody, TemplateView } from './templates.schemas.ts';
import { TEMPLATES, templateNamed } from './templates.ts';

// Templates are code, not data: these use cases read no database and send nothing.

export const listTemplates = (): TemplateView[] => TEMPLATES.map(describeTemplate);

export function findTemplate(name: string): MailTemplate {
  const template = templateNamed(name);
  if (!template) throw notFound(`No template named ${name}.`);
  return template;
}

export const readTemplate = (name: string): TemplateView => describeTemplate(findTemplate(name));

/** The mail exactly as POST /deliveries would render it, without sending or recording anything. */
export function previewTemplate(name: string, { variables, subject }: PreviewBody): Preview {
  const template = findTemplate(name);
  return { template: template.name, ...renderTemplate(template, variables, { subject }) };
}
