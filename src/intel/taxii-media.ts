export const TAXII_MEDIA = "application/taxii+json;version=2.1";
