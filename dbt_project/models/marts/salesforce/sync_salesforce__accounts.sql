{# One Account per normalised company, or per customer without a company (their own name). #}
select distinct
    cast(account_stames_id as varchar) as "Stames_Id__c",
    cast(account_name as varchar) as "Name",
    cast(is_business as boolean) as stames__is_business
from {{ ref('int_customers_contacts') }}
