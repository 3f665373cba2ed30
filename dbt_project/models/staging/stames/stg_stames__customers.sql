{# Column names stay the Stames field names (the mapping's sources name them: `customer.email`
   is `email`); timestamps are parsed to UTC and their original text kept as `*_raw`. #}
with source as (select * from {{ source('raw_stames', 'customers') }}),

account as ({{ stames_account_clock() }}),

renamed as (
    select
        -- ids
        id,
        merged_into_id,
        _dlt_id as dlt_id,
        -- strings
        name,
        email,
        phone,
        phone_raw,
        company,
        -- timestamps
        {{ stames_timestamp('created_at') }} as created_at,
        {{ stames_timestamp('updated_at') }} as updated_at,
        created_at as created_at_raw
    from source
    cross join account
)

select * from renamed
