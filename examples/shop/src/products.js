// @ts-check
// The catalogue: two products with prices in whole rupiah. Prices live on the server only; the checkout
// form sends a product id and a quantity, never a price.

/**
 * @typedef {object} Product
 * @property {string} id
 * @property {string} name
 * @property {string} description
 * @property {number} price  whole rupiah
 */

/** @type {readonly Product[]} */
export const PRODUCTS = Object.freeze([
  {
    id: 'kopi-gayo',
    name: 'Kopi Arabika Gayo, 250 g',
    description: 'Whole beans from Aceh, roasted medium the week you order.',
    price: 85_000,
  },
  {
    id: 'teh-tarik',
    name: 'Teh Tarik Sachets, box of 10',
    description: 'Black tea with condensed milk, ready in a minute.',
    price: 25_000,
  },
]);

/** The most of one product a single order may hold: enough for a shop, small enough to stay in limits. */
export const MAX_QUANTITY = 10;

/** @param {string} id */
export function findProduct(id) {
  return PRODUCTS.find((product) => product.id === id);
}

const RUPIAH = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });

/**
 * `Rp 10.000`: Indonesian digit grouping, no decimals (the rupiah has no minor unit in practice).
 * @param {number} amount whole rupiah
 */
export function formatRupiah(amount) {
  return `Rp ${RUPIAH.format(amount)}`;
}
