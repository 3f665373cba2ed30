{# One Account per normalised company, or per customer without a company (their own name). `Id`
   is set when the company is an Account already in the org: the loader gives that Account its
   Stames_Id__c instead of creating one. #}
select distinct
    cast(account_stames_id as string) as Stames_Id__c,
    cast(existing_account_id as string) as Id,
    cast(account_name as string) as Name,
    cast(is_business as boolean) as stames__is_business
from {{ ref('int_customers_contacts') }}
