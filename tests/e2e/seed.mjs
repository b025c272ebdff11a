// The tenants and accounts entra-sim seeds (crates/entra-sim/README.md, "Fixed identifiers" and "The seed"):
// named once here for every e2e suite.

/** Contoso: the default tenant. */
export const CONTOSO = '6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3';
/** Fabrikam: a customer tenant where a Contoso member is a guest (the MSP case). */
export const FABRIKAM = '73b9e3ff-f52c-4e90-ac33-e56c9141b49e';
/** Northwind: registrations made by hand, for tenant health, rotation and adoption. */
export const NORTHWIND = '3c1f7e52-4b0d-4d8e-9a61-2f7c5e8b9d10';

export const GLOBAL_ADMIN = 'adele.vance@contoso-demo.onmicrosoft.com';
export const CLOUD_APP_ADMIN = 'christie.cline@contoso-demo.onmicrosoft.com';
/** Global Administrator only through a role-assignable group. */
export const GROUP_GLOBAL_ADMIN = 'alex.wilber@contoso-demo.onmicrosoft.com';
/** Eligible for Privileged Role Administrator in PIM, not active; no active role. */
export const ELIGIBLE_ADMIN = 'patti.fernandez@contoso-demo.onmicrosoft.com';
/** A Contoso member with no role at home; a guest and Cloud Application Administrator in Fabrikam. */
export const MSP_GUEST = 'megan.bowen@contoso-demo.onmicrosoft.com';
export const FABRIKAM_ADMIN = 'diego.siciliani@fabrikam-demo.onmicrosoft.com';
export const NORTHWIND_ADMIN = 'nestor.wilke@northwind-demo.onmicrosoft.com';
