'use strict';
// The OAuth scopes each Apps Script method needs, copied from the "Authorization" section of its page
// in the Apps Script reference (https://developers.google.com/apps-script/reference/<service>/<class>
// #<method>): "Scripts that use this method require authorization with one or more of the following
// scopes". Any one of the listed scopes is enough. [] = the page lists none. A method missing here
// makes the fakes throw: add it from its reference page, never by guessing.

const AUTH = 'https://www.googleapis.com/auth/';
const FORMS = [`${AUTH}forms.currentonly`, `${AUTH}forms`];
const SCRIPTAPP = [`${AUTH}script.scriptapp`];
const NONE = [];

const SCOPES = {
  // forms/form-app, forms/form, forms/form-response, forms/item-response, forms/item, forms/*-item, forms/choice
  'FormApp.getActiveForm': FORMS,
  'Form.getId': FORMS,
  'Form.getTitle': FORMS,
  'Form.getItems': FORMS,
  'Form.getResponses': FORMS,
  'Form.getResponse': FORMS,
  'Form.collectsEmail': FORMS,
  'FormResponse.getId': FORMS,
  'FormResponse.getTimestamp': FORMS,
  'FormResponse.getRespondentEmail': FORMS,
  'FormResponse.getItemResponses': FORMS,
  'FormResponse.getEditResponseUrl': FORMS,
  'ItemResponse.getItem': FORMS,
  'ItemResponse.getResponse': FORMS,
  'ItemResponse.getScore': FORMS,
  'Item.getId': FORMS,
  'Item.getTitle': FORMS,
  'Item.getType': FORMS,
  'Item.getHelpText': FORMS,
  'Item.getIndex': FORMS,
  'Item.asCheckboxItem': FORMS,
  'Item.asCheckboxGridItem': FORMS,
  'Item.asGridItem': FORMS,
  'Item.asListItem': FORMS,
  'Item.asMultipleChoiceItem': FORMS,
  'Item.asScaleItem': FORMS,
  'Item.asTextItem': FORMS,
  'Item.asParagraphTextItem': FORMS,
  'Item.asDateItem': FORMS,
  'Item.asTimeItem': FORMS,
  'Item.asFileUploadItem': FORMS,
  'CheckboxItem.getChoices': FORMS,
  'MultipleChoiceItem.getChoices': FORMS,
  'ListItem.getChoices': FORMS,
  'GridItem.getColumns': FORMS,
  'GridItem.getRows': FORMS,
  'CheckboxGridItem.getColumns': FORMS,
  'CheckboxGridItem.getRows': FORMS,
  'Choice.getValue': FORMS,

  // url-fetch/url-fetch-app#fetch(String,Object); url-fetch/http-response lists none
  'UrlFetchApp.fetch': [`${AUTH}script.external_request`],
  'HTTPResponse.getResponseCode': NONE,
  'HTTPResponse.getContentText': NONE,
  'HTTPResponse.getHeaders': NONE,
  'HTTPResponse.getAllHeaders': NONE,

  // mail/mail-app: both methods need script.send_mail
  'MailApp.sendEmail': [`${AUTH}script.send_mail`],
  'MailApp.getRemainingDailyQuota': [`${AUTH}script.send_mail`],

  // script/script-app, script/trigger, script/trigger-builder (forForm needs the forms scopes),
  // script/form-trigger-builder and script/clock-trigger-builder list none
  'ScriptApp.newTrigger': SCRIPTAPP,
  'ScriptApp.getProjectTriggers': SCRIPTAPP,
  'ScriptApp.deleteTrigger': SCRIPTAPP,
  'ScriptApp.requireAllScopes': NONE,
  'Trigger.getUniqueId': SCRIPTAPP,
  'Trigger.getHandlerFunction': SCRIPTAPP,
  'Trigger.getEventType': SCRIPTAPP,
  'Trigger.getTriggerSourceId': SCRIPTAPP,
  'TriggerBuilder.forForm': FORMS,
  'TriggerBuilder.timeBased': SCRIPTAPP,
  'FormTriggerBuilder.onFormSubmit': NONE,
  'FormTriggerBuilder.create': NONE,
  'ClockTriggerBuilder.everyMinutes': NONE,
  'ClockTriggerBuilder.everyHours': NONE,
  'ClockTriggerBuilder.after': NONE,
  'ClockTriggerBuilder.create': NONE,

  // base/session#getEffectiveUser needs userinfo.email; base/user#getEmail lists none
  'Session.getEffectiveUser': [`${AUTH}userinfo.email`],
  'Session.getActiveUser': [`${AUTH}userinfo.email`],
  'Session.getScriptTimeZone': NONE,
  'User.getEmail': NONE,

  // properties/*, lock/*, utilities/utilities and base/blob list no scope at all
  'PropertiesService.getScriptProperties': NONE,
  'Properties.getProperty': NONE,
  'Properties.getProperties': NONE,
  'Properties.getKeys': NONE,
  'Properties.setProperty': NONE,
  'Properties.setProperties': NONE,
  'Properties.deleteProperty': NONE,
  'Properties.deleteAllProperties': NONE,
  'LockService.getScriptLock': NONE,
  'Lock.tryLock': NONE,
  'Lock.waitLock': NONE,
  'Lock.releaseLock': NONE,
  'Lock.hasLock': NONE,
  'Utilities.base64Decode': NONE,
  'Utilities.base64Encode': NONE,
  'Utilities.base64EncodeWebSafe': NONE,
  'Utilities.computeDigest': NONE,
  'Utilities.computeHmacSha256Signature': NONE,
  'Utilities.formatDate': NONE,
  'Utilities.newBlob': NONE,
  'Utilities.sleep': NONE,
  'Blob.getBytes': NONE,
  'Blob.getDataAsString': NONE,

  // drive/drive-app#createFile(String,String), #getFileById(String), drive/file#setTrashed(Boolean):
  // `drive` (getFileById also accepts drive.readonly) and never drive.file. The script does not use
  // Drive any more; these stay so a test shows why drive.file could not work.
  'DriveApp.createFile': [`${AUTH}drive`],
  'DriveApp.getFileById': [`${AUTH}drive`, `${AUTH}drive.readonly`],
  'File.setTrashed': [`${AUTH}drive`],
};

module.exports = { SCOPES, AUTH };
