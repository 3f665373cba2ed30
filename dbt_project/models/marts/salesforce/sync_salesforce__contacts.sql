-- depends_on: {{ ref('stg_mapping__value_maps') }}
{# One Contact per surviving customer. The mapped name is split at its last space: the last word
   is LastName (required), the words before it FirstName; a customer without a name is
   `Customer <id>`. #}
with contacts as (
    select * from {{ ref('int_customers_contacts') }}
),

named as (
    select
        *,
        nullif(trim({{ mapped('Contact.LastName', 'contacts') }}), '') as full_name
    from contacts
)

select
    cast(customer_id as varchar) as "Stames_Id__c",
    cast(case when contains(full_name, ' ') then regexp_extract(full_name, '^(.*) [^ ]+$', 1) end as varchar) as "FirstName",
    cast(coalesce(regexp_extract(full_name, '([^ ]+)$', 1), 'Customer ' || customer_id) as varchar) as "LastName",
    cast({{ mapped('Contact.Email', 'named') }} as varchar) as "Email",
    cast({{ mapped('Contact.Phone', 'named') }} as varchar) as "Phone",
    cast(account_stames_id as varchar) as "ref__AccountId",
    cast({{ mapped('Contact.CreatedDate', 'named') }} as timestamp) as "CreatedDate",
    cast({{ mapped('Contact.LastModifiedDate', 'named') }} as timestamp) as "LastModifiedDate",
    cast(merged_customers as integer) as stames__merged_customers
from named
