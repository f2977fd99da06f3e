// The trainer's own JWT signing key, for `ica-trainer jwt mint`. A TEST KEY: it is
// published with the trainer, so anyone can sign with it; trust it in a lab's
// RequestAuthentication (inline `jwks`, from `ica-trainer jwt jwks`), never in a
// mesh that guards anything. Generated for this project (RSA 2048, RS256); the kid is
// the key's RFC 7638 thumbprint.

/** The private key as a JWK (test key: see above). */
export const TRAINER_PRIVATE_JWK = {
  kty: 'RSA',
  kid: 'bfZ9kLC3dIBsnP2Gkjk6w_K1ywP1BAtwybCKBQFqJGU',
  n: 'wuByt9s11Z4wwmUBp_7kuJTOdmIVmJ-TnMrxBq04Btm4FeILgs6wjAfwA8fmI08v_GQAh6QUjqGlUdD6q06viP7a-ousptWKJ1mLLQ-zNMI_IaLnjET5hME7zfoxquZELwzIgmJpEE9_saqhRl3ravVp41ck-yf-IetYomuTiqnipdZHdtWKBjXglEroO5SjCZycCMpvcOoYZSvJ-I12iyZy5KGLiHcqmR5Ug8LFshXTe8aJi3UnVPM1Nt-2NIEF36XPd_jNPjbvc6oBDy1nhrb3fHoxUOhMB_Hsd9sCHtQR7UBSowqc52Ie9FnbzXXTirJoVfcOeUE9wFg1zK0LXQ',
  e: 'AQAB',
  d: 'AUO2EtnWCVcPr2862cV2Y_k5NrzvsXAVo96QPlAY7Thz8JZpJzXioOH7TXb6WA_POqbGdxraNEu5uCRwP_TQgEXRE2-dFO8NSLCUzdvMeKLrCHOXZ4paCSG82tsM__QjDKAbW_c6AcxWQoeeKMf6u1Sw1XQPDh8mD7_IcTNb_3oUUSqgvO3Jw0zP9MsIpXPd8TtgZqNhU0-f98nDrZJPKlQ6FJjWT6H6pZlYNNeRApWlqK27XT8mOLVlIa84KJi7kzx_GJZa51rcwhyWFcl95bQ94knvTBVFueGLYA59Tn5K4nH-TSkAGJSzKKAl-7cArkCdZQpSywPUecNnCgq3QQ',
  p: '8jyN07lJvKrwo47Qggl63mBoIhEEb5jvGu5NnR4IY3gMHyTJ0-C9Lp4zLAK7da7wSuVBXM8gJCGQc-Ea0d6VyxDh22XIwIHsVLrHm7Iz7tgQnXRWZY3S3gd_Z3AWd5cjQjzC-JD3_5AH4s5f0z8sLdT7YSpIzUez3JjjEIFnX8E',
  q: 'zfMF_RzL8zq3nUcaHam9bLWnreGhmbCUVPT_TjZ7mdbRPSFD-2XvF8aMwvRytTUrGyELshdgUbJWXCbAnzdu0EXEgX2F_Y8hwDZYHmdQDFrjZs5OfHAd0nF1065NRvdNQQXlf-dzO1EnhdkJeCiO8KfXcoi1bbAy71H4zSJ70p0',
  dp: '3ZBViVro_xC7ml5-iPJy2AQGO2KlVA3mZhOiGhvmQFUFgVb85Dej0ogQ9ihpnnKsh1S6PFGXbHTm05cKGPwmtt5yN2MaBDrSF43gFaEhr00hpWNLwwe94CereMklQ62SKnu5OfIfZDoxfFqXe3lEx4cPhwhOHrV-5j9RMT-rdgE',
  dq: 'W0-xywx2fKv-9vOsZ5R3kPhllNmiLaM10QkjHQlY-dddxA24t4D1ZgQ5KsL5DNC7APdA2UA2C2LXmVnxM2Z_ckZMnuEJhGdunms53JkPy7qMcmtsLw4CmuiFRkpUpu9EyFyV6YSz-Yu8y0J0SVsqLRctlfF5B14E50jf2Au-_J0',
  qi: 'bIRGZoAsHjrR0aFNRb90Ps_XOKGosge2rac-forwFcbdQ2NJI0Hot9juvhRn5LnNnq57E-kizearzR9JDVRhu_Ne9GZCy8YQAU0GB-yNFr5rwRoId_HELt0B6cTtBkCk18RJFI6ZUtoue3wDsC9GXGwo8OmBxmUroAvycPtAtxQ',
} as const;

/** The issuer `jwt mint` writes unless told otherwise. */
export const TRAINER_ISSUER = 'trainer@ica-trainer.local';

/** The public half, as the JWKS a RequestAuthentication's `jwks` field takes. */
export const TRAINER_JWKS = {
  keys: [
    {
      kty: TRAINER_PRIVATE_JWK.kty,
      kid: TRAINER_PRIVATE_JWK.kid,
      alg: 'RS256',
      use: 'sig',
      n: TRAINER_PRIVATE_JWK.n,
      e: TRAINER_PRIVATE_JWK.e,
    },
  ],
};
