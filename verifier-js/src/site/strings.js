/**
 * Visible texts of the credential card (src/site/card.js) and of the claim, share and certificate
 * pages' newer parts, in one place. Each is a message of the catalogues
 * (builder/credpub/data/locale/*.po, the same msgids as theme/templates/partials/card.html), looked
 * up in the page's language when read: `_` calls here are what the extraction finds.
 */
import {lang, translate as _} from './i18n.js';

export const CARD = {
  get kinds() { return {MicroCredential: _('Microcredential')}; },
  get awardedTo() { return _('Awarded to'); },
  get nameWithheld() { return _('Name withheld'); },
  get nameNote() { return _('The holder\'s name is in this credential only as a salted hash: the holder can tell you the name, and you can check it here.'); },
  /** pieces for append(): "Issued by <strong>…</strong>" */
  issuedBy: (strong) => lang().parts('Issued by %(issuer)s', {issuer: strong}),
  get issued() { return _('Issued'); },
  get signed() { return _('Signed'); },
  get validUntil() { return _('Valid until'); },
  get expiredOn() { return _('Expired on'); },
  get credits() { return _('Credits'); },
  ects: (n) => _('%(ects)s ECTS', {ects: n}),
  get eqf() { return _('EQF level'); },
  get workload() { return _('Workload'); },
  hours: (n) => lang().hours(n),
  get grade() { return _('Grade'); },
  get certifies() { return _('What this certifies'); },
  get outcomes() { return _('Learning outcomes'); },
  get skills() { return _('Skills'); },
  get elements() { return _('Microcredential facts'); },
  get elementLabels() {
    return {
      assessment: _('Assessment'),
      participation: _('Participation'),
      quality_assurance: _('Quality assurance'),
      prerequisites: _('Prerequisites'),
      supervision: _('Supervision and identity check'),
      integration: _('Stackability'),
      further_information: _('Further information'),
    };
  },
  get participation() { return {online: _('Online'), onsite: _('On site'), blended: _('Blended (online and on site)')}; },
  /** pieces for append(): "Open Badges 3.0 · signed by <code>…</code>" */
  signedBy: (code) => lang().parts('Open Badges 3.0 · signed by %(issuer)s', {issuer: code}),
  get achievementLink() { return _('About this achievement'); },
};

export const CLAIM = {
  get publicShowsName() { return _('Your public page shows your name and this achievement, without your email address.'); },
  get publicHashedName() { return _('Your public page shows this achievement without your name: the site keeps no readable copy of it. To show your name, share the link that carries it (your name travels only in the link, after #, and the page checks it against your credential).'); },
  get withName() { return _('Put my name in the link'); },
  get openPublic() { return _('Open your public page'); },
  revokedTitle: (date) => _('This credential was revoked on %(date)s.', {date}),
  get revokedTitleUndated() { return _('This credential was revoked.'); },
  revokedReason: (reason) => _('Reason given by the issuer: %(reason)s', {reason}),
  revokedAsk: (issuer) => _('%(issuer)s has withdrawn it: it no longer certifies this achievement, and you cannot share it.', {issuer}),
  get revokedContact() { return _('Questions? Write to '); },
  get revokedReasonAsk() { return _('For the reason, write to '); },
  get forYourRecords() { return _('For your records'); },
  get forYourRecordsNote() { return _('These files still contain your credential, but any verifier will report it as revoked.'); },
  get passTitle() { return _('Enter your passphrase'); },
  passFor: (what, issuer) => (what ? _('To open your credential “%(achievement)s” from %(issuer)s.', {achievement: what, issuer}) : _('To open your credential from %(issuer)s.', {issuer})),
  get passLabel() { return _('Passphrase (sent to you separately from the link)'); },
  get passOpen() { return _('Open my credential'); },
  get passOpening() { return _('Opening…'); },
  passWrong: (message) => _('Sorry: %(problem)s. Check the passphrase and try again.', {problem: message}),
  get passHelp() { return _('No passphrase, or it does not work? Write to '); },
};

export const SHARE = {
  get nameFromLink() { return _('The name in this link matches the one in the credential.'); },
  get certificate() { return _('Printable certificate'); },
};

export const CERTIFICATE = {
  credentialId: (id) => _('Credential ID: %(id)s', {id}),
};
