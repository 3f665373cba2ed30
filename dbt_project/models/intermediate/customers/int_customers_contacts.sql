{# The surviving customers that become Contacts, with their Account. #}
with classified as (
    select * from {{ ref('int_customers_classified') }}
    where resolution = 'survivor' and quarantine_reason is null
)

select
    survivors.*,
    accounts.account_stames_id,
    accounts.account_name,
    accounts.is_business,
    accounts.existing_account_id
from classified
inner join {{ ref('int_customers_survivors') }} as survivors on survivors.customer_id = classified.customer_id
inner join {{ ref('int_customers_accounts_assigned') }} as accounts on accounts.customer_id = classified.customer_id
