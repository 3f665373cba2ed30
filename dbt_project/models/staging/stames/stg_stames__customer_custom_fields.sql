with source as (select * from {{ source('raw_stames', 'customers__custom_fields') }}),

renamed as (
    select
        -- ids
        _dlt_parent_id as customer_dlt_id,
        field_id,
        _dlt_id as dlt_id,
        -- strings
        key,
        value
    from source
)

select * from renamed
