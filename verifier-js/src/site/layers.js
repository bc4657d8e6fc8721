/**
 * Claim security layers, defined once in builder/credpub/data/claim_layers.json (Python reads the
 * same file: builder/credpub/layers.py). Pages ask a layer what it does, never compare names.
 */
import DOC from '../../../builder/credpub/data/claim_layers.json' with {type: 'json'};

/** The layer names, in order: link, encrypted, passphrase. */
export const LAYER_NAMES = Object.freeze([...DOC.order]);

/**
 * A layer's properties ({claim_at_rest, key_in_link, passphrase, claim_page_names_achievement,
 * share_name, revocation_reason_on_claim_page}, plus its name); the first layer for an unknown name.
 * @param {string} name
 */
export function layer(name) {
  const key = Object.prototype.hasOwnProperty.call(DOC.layers, name) ? name : DOC.order[0];
  return Object.freeze({name: key, ...DOC.layers[key]});
}
