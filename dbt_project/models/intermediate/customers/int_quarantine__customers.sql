select
    'customer' as object,
    cast(customer_id as string) as stames_id,
    quarantine_reason as reason,
    quarantine_detail as detail
from {{ ref('int_customers_classified') }}
where quarantine_reason is not null
