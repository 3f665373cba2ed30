select
    'customer' as object,
    cast(customer_id as string) as stames_id,
    exclusion_rule as rule
from {{ ref('int_customers_classified') }}
where exclusion_rule is not null
