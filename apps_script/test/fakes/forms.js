'use strict';
// Stand-in for FormApp, following the Apps Script reference (forms/form, form-response, item-response):
// - item.getType() returns an ItemType enum value whose String() is its name;
// - getItemResponses() lists answers in form order, gives '' for an unanswered TEXT, PARAGRAPH_TEXT,
//   DATE or TIME item and leaves out every other unanswered item;
// - getRespondentEmail() gives '' when the form does not collect e-mails [guess: the reference does
//   not say what it returns then; the script treats '' and null alike].

const ITEM_TYPE_NAMES = [
  'CHECKBOX', 'CHECKBOX_GRID', 'DATE', 'DATETIME', 'DURATION', 'GRID', 'IMAGE', 'LIST',
  'MULTIPLE_CHOICE', 'PAGE_BREAK', 'PARAGRAPH_TEXT', 'SCALE', 'SECTION_HEADER', 'TEXT', 'TIME',
  'VIDEO', 'FILE_UPLOAD',
];

function makeEnum(names) {
  const result = {};
  for (const name of names) {
    result[name] = Object.freeze({ toString: () => name, toJSON: () => name, name: () => name });
  }
  return Object.freeze(result);
}

const ItemType = makeEnum(ITEM_TYPE_NAMES);
const LAYOUT_TYPES = new Set(['PAGE_BREAK', 'SECTION_HEADER', 'IMAGE', 'VIDEO']);
const BLANK_WHEN_UNANSWERED = new Set(['TEXT', 'PARAGRAPH_TEXT', 'DATE', 'TIME']);
const CASTS = {
  asCheckboxItem: 'CHECKBOX', asCheckboxGridItem: 'CHECKBOX_GRID', asGridItem: 'GRID',
  asListItem: 'LIST', asMultipleChoiceItem: 'MULTIPLE_CHOICE', asScaleItem: 'SCALE',
  asTextItem: 'TEXT', asParagraphTextItem: 'PARAGRAPH_TEXT', asFileUploadItem: 'FILE_UPLOAD',
  asDateItem: 'DATE', asTimeItem: 'TIME',
};

/** spec: {id, title, type: 'CHECKBOX', choices?, rows?, columns?} */
function makeItem(spec) {
  if (!ItemType[spec.type]) throw new Error(`fake FormApp: unknown item type ${spec.type}`);
  const item = {
    getId: () => spec.id,
    getTitle: () => spec.title,
    getType: () => ItemType[spec.type],
    getHelpText: () => '',
    getIndex: () => spec.index,
  };
  for (const [method, type] of Object.entries(CASTS)) {
    item[method] = () => {
      if (spec.type !== type) throw new Error(`Cannot cast ${spec.type} item to ${type}.`);
      return {
        getChoices: () => (spec.choices || []).map((value) => ({ getValue: () => value })),
        getRows: () => [...(spec.rows || [])],
        getColumns: () => [...(spec.columns || [])],
      };
    };
  }
  return item;
}

/** Returns a fresh copy each call, like Apps Script, so callers cannot mutate stored answers. */
function copyValue(value) {
  return Array.isArray(value) ? value.map((v) => (Array.isArray(v) ? [...v] : v)) : value;
}

/** spec: {id, timestamp: Date, email, answers: {itemId: rawValue}} */
function makeResponse(form, spec) {
  const answers = spec.answers || {};
  return {
    getId: () => spec.id,
    getTimestamp: () => new Date(spec.timestamp.getTime()),
    getRespondentEmail: () => (form.collectsEmail() ? spec.email || '' : ''),
    getEditResponseUrl: () => `https://docs.google.com/forms/d/e/${form.getId()}/viewform?edit2=${spec.id}`,
    getItemResponses: () => {
      const list = [];
      for (const item of form.getItems()) {
        const type = String(item.getType());
        if (LAYOUT_TYPES.has(type)) continue;
        const id = item.getId();
        if (Object.hasOwn(answers, id)) {
          list.push({ getItem: () => item, getResponse: () => copyValue(answers[id]), getScore: () => null });
        } else if (BLANK_WHEN_UNANSWERED.has(type)) {
          list.push({ getItem: () => item, getResponse: () => '', getScore: () => null });
        }
      }
      return list;
    },
  };
}

/** spec: {id, title, collectEmail, items: [itemSpec], responses: [responseSpec]} */
function makeForm(spec) {
  const items = spec.items.map((s, index) => makeItem({ ...s, index }));
  const responses = [];
  const form = {
    getId: () => spec.id,
    getTitle: () => spec.title,
    collectsEmail: () => Boolean(spec.collectEmail),
    getItems: () => [...items],
    getItemById: (id) => items.find((i) => i.getId() === id) || null,
    getResponses: (timestamp) => {
      // "Gets an array of all of the form's responses after a given date and time."
      const all = responses.filter((r) => !timestamp || r.getTimestamp().getTime() > timestamp.getTime());
      return all.sort((a, b) => a.getTimestamp() - b.getTimestamp());
    },
    getResponse: (id) => responses.find((r) => r.getId() === id) || null,
    /** Test helper (not Apps Script): records a response as if a person had submitted it. */
    addResponse: (responseSpec) => {
      const response = makeResponse(form, responseSpec);
      const index = responses.findIndex((r) => r.getId() === responseSpec.id);
      if (index >= 0) responses.splice(index, 1, response);  // an edit keeps the id
      else responses.push(response);
      return response;
    },
  };
  for (const r of spec.responses || []) form.addResponse(r);
  return form;
}

function makeFormApp(getActiveForm) {
  return { ItemType, getActiveForm: () => getActiveForm() };
}

module.exports = { ItemType, makeForm, makeFormApp };
