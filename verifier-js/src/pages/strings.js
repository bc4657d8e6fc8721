/**
 * Visible texts of the credential card (src/card.js) and of the claim, share and certificate
 * pages' newer parts, in one place. The card's words are those of
 * theme/templates/partials/card.html (the fixtures in tests/fixtures/card/ hold both to the
 * same HTML).
 */

export const CARD = {
  kinds: {MicroCredential: 'Microcredential'},
  awardedTo: 'Awarded to',
  nameWithheld: 'Name withheld',
  nameNote: 'The holder\'s name is in this credential only as a salted hash: the holder can tell you the name, and you can check it here.',
  issuedBy: 'Issued by ',
  issued: 'Issued',
  validUntil: 'Valid until',
  expiredOn: 'Expired on',
  credits: 'Credits',
  ects: (n) => `${n} ECTS`,
  eqf: 'EQF level',
  workload: 'Workload',
  hours: (n) => `${n} hours`,
  grade: 'Grade',
  certifies: 'What this certifies',
  outcomes: 'Learning outcomes',
  skills: 'Skills',
  elements: 'Microcredential facts',
  elementLabels: {
    assessment: 'Assessment',
    participation: 'Participation',
    quality_assurance: 'Quality assurance',
    prerequisites: 'Prerequisites',
    supervision: 'Supervision and identity check',
    integration: 'Stackability',
    further_information: 'Further information',
  },
  participation: {online: 'Online', onsite: 'On site', blended: 'Blended (online and on site)'},
  signedBy: 'Open Badges 3.0 · signed by ',
  achievementLink: 'About this achievement',
};

export const CLAIM = {
  publicShowsName: 'Your public page shows your name and this achievement, without your email address.',
  publicHashedName: 'Your public page shows this achievement without your name: the site keeps no readable copy of it. To show your name, share the link that carries it (your name travels only in the link, after #, and the page checks it against your credential).',
  withName: 'Put my name in the link',
  openPublic: 'Open your public page',
  revokedTitle: (date) => `This credential was revoked on ${date}.`,
  revokedTitleUndated: 'This credential was revoked.',
  revokedReason: (reason) => `Reason given by the issuer: ${reason}`,
  revokedAsk: (issuer) => `${issuer} has withdrawn it: it no longer certifies this achievement, and you cannot share it.`,
  revokedContact: 'Questions? Write to ',
  revokedReasonAsk: 'For the reason, write to ',
  forYourRecords: 'For your records',
  forYourRecordsNote: 'These files still contain your credential, but any verifier will report it as revoked.',
  passTitle: 'Enter your passphrase',
  passFor: (what, issuer) => (what ? `To open your credential “${what}” from ${issuer}.` : `To open your credential from ${issuer}.`),
  passLabel: 'Passphrase (sent to you separately from the link)',
  passOpen: 'Open my credential',
  passOpening: 'Opening…',
  passWrong: (message) => `Sorry: ${message}. Check the passphrase and try again.`,
  passHelp: 'No passphrase, or it does not work? Write to ',
};

export const SHARE = {
  nameFromLink: 'The name in this link matches the one in the credential.',
  certificate: 'Printable certificate',
};

export const CERTIFICATE = {
  credentialId: (id) => `Credential ID: ${id}`,
};
